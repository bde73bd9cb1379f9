import { AnnkitError, assertDim, assertMetric } from '@annkit/core';
import { chosenKernels } from './defaults.js';
import type { CreateIndexOptions, IndexOf } from './factory-types.js';
import { resolveSpec } from './spec.js';

/** Throws when the caller also passes an option the factory string decides (m of "HNSW32"). */
function rejectSpecKeys(spec: string, options: Record<string, unknown>, specKeys: readonly string[]): void {
  for (const key of specKeys) {
    if (options[key] !== undefined) throw new AnnkitError('INVALID_ARGUMENT', `createIndex("${spec}", …): "${key}" is set by the factory string; drop it from the options or change the string.`);
  }
}

/**
 * Makes an index from a FAISS-style factory string: "Flat", "SQ8", "PQ16x8", "IVF1024,Flat", "IVF1024,SQ8",
 * "IVF1024,PQ16,Rerank", "HNSW32", "HNSW32,SQ8,Rerank4", "Annoy50". The result's type follows the string
 * (an IVF string gives an IvfIndex, with train() and { nprobe }). Trainable ones (IVF, SQ, PQ, HNSW over
 * quantized storage) need train(samples) before add. A trailing ",Rerank" keeps the raw vectors and
 * re-ranks k × 10 candidates exactly by default (",Rerank4": × 4). Kernels: WASM SIMD where supported.
 */
export function createIndex<S extends string>(spec: S, options: CreateIndexOptions<S>): IndexOf<S> {
  const { family, options: fromSpec } = resolveSpec(spec);
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'createIndex(spec, { dim, metric }) needs an options object.');
  const given = options as Record<string, unknown>;
  assertDim(given.dim);
  assertMetric(given.metric);
  rejectSpecKeys(spec, given, family.specKeys);
  const kernels = given.kernels ?? chosenKernels();
  return family.create({ ...given, ...(kernels === undefined ? {} : { kernels }), ...fromSpec }) as IndexOf<S>;
}
