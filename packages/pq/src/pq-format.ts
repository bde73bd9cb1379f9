import { AnnkitError, IdMap, ProgressTracker, bytesOf, corrupt, decodeJson, encodeJson, isAnnkitError, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { AnnkSection, Kernels, LongTaskOptions } from '@annkit/core';
import { PqCodec } from './pq-codec.js';
import { PqIndex } from './pq-index.js';

/*
 * PqIndex file ("PQ" kind), format 1.0. Sections:
 *   PARM  JSON { format, count, m, nbits, keepVectors, trained, niter, seed, maxPointsPerCentroid }
 *   IDS   float64 id of each slot (count)
 *   CODE  codes by slot (count × codeSize bytes)
 *   CDST  float32 codebooks (m × 2^nbits × dim/m)   (trained only)
 *   RAWV  float32 raw vectors by slot (count × dim)  (keepVectors only)
 */
const FORMAT_MAJOR = 1;
const FORMAT_MINOR = 0;
const KIND = 'PQ';

export function serializePq(index: PqIndex, opts?: LongTaskOptions): Uint8Array {
  const progress = new ProgressTracker(opts, 'serialize', 1);
  const n = index.size;
  const c = index.codec;
  const params = { format: 'annkit-pq', count: n, m: c.m, nbits: c.nbits, keepVectors: index.keepVectors, trained: c.isTrained, niter: c.niter, seed: c.seed, maxPointsPerCentroid: c.maxPointsPerCentroid };
  const sections: AnnkSection[] = [
    { tag: 'PARM', data: encodeJson(params) },
    { tag: 'IDS ', data: bytesOf(index.idMap.idsBySlot.subarray(0, n)) },
    { tag: 'CODE', data: index.store.exportPacked() },
  ];
  if (c.isTrained) sections.push({ tag: 'CDST', data: bytesOf(c.exportState()) });
  if (index.raw !== null) sections.push({ tag: 'RAWV', data: bytesOf(index.raw.exportPacked()) });
  const bytes = writeAnnk({ kind: KIND, major: FORMAT_MAJOR, minor: FORMAT_MINOR, dim: index.dim, metric: index.metric }, sections);
  progress.finish();
  return bytes;
}

export function deserializePq(bytes: Uint8Array, options?: { kernels?: Kernels }): PqIndex {
  const file = readAnnk(bytes, { kind: KIND, major: FORMAT_MAJOR, required: ['PARM', 'IDS ', 'CODE'], known: ['PARM', 'IDS ', 'CODE', 'CDST', 'RAWV'] });
  const { dim, metric, sections } = file;
  const p = decodeJson(sections.get('PARM'), 'PARM');
  if (p.format !== 'annkit-pq') throw corrupt('PARM.format is not "annkit-pq"');
  const count = paramInt(p, 'count', 0, 2 ** 31 - 1);
  const m = paramInt(p, 'm', 1, dim);
  if (dim % m !== 0) throw corrupt(`m = ${m} does not divide dim ${dim}`);
  const nbits = paramInt(p, 'nbits', 4, 8);
  if (nbits !== 4 && nbits !== 8) throw corrupt(`nbits ${nbits}`);
  const niter = paramInt(p, 'niter', 1, 100_000);
  const maxPointsPerCentroid = paramInt(p, 'maxPointsPerCentroid', 1, 2 ** 31 - 1);
  const seed = p.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw corrupt(`PARM.seed is ${JSON.stringify(seed)}`);
  if (typeof p.keepVectors !== 'boolean' || typeof p.trained !== 'boolean') throw corrupt('PARM.keepVectors / trained are not booleans');
  const keepVectors = p.keepVectors;
  const trained = p.trained;
  if (!trained && count > 0) throw corrupt(`an untrained index cannot hold ${count} vectors`);
  if (trained !== sections.has('CDST')) throw corrupt(trained ? 'codebooks (section "CDST") are missing' : 'unexpected section "CDST"');
  if (keepVectors !== sections.has('RAWV')) throw corrupt(keepVectors ? 'raw vectors (section "RAWV") are missing' : 'unexpected section "RAWV"');

  // Sizes are checked against the section lengths before anything is allocated.
  const ids = sectionArray(Float64Array, sections.get('IDS '), count, 'IDS ');
  const idMap = IdMap.fromDense(ids);
  const codeSize = nbits === 8 ? m : (m + 1) >> 1;
  const codes = sectionArray(Uint8Array, sections.get('CODE'), count * codeSize, 'CODE');
  const books = trained ? sectionArray(Float32Array, sections.get('CDST'), m * (1 << nbits) * (dim / m), 'CDST') : null;
  const raw = keepVectors ? sectionArray(Float32Array, sections.get('RAWV'), count * dim, 'RAWV') : null;
  if (raw !== null) {
    for (let i = 0; i < raw.length; i++) if (raw[i]! - raw[i]! !== 0) throw corrupt(`raw vector value ${raw[i]} is not finite`);
  }
  const index = new PqIndex({ dim, metric, m, nbits, keepVectors, niter, seed, maxPointsPerCentroid, kernels: options?.kernels, initialCapacity: Math.max(1, count) });
  try {
    if (books !== null) {
      index.codec.free();
      index.codec = PqCodec.fromState({ dim, m, nbits, niter, seed, maxPointsPerCentroid, kernels: index.kernels }, books);
    }
    for (let s = 0; s < count; s++) index.store.append(codes, s * codeSize);
    if (raw !== null) for (let s = 0; s < count; s++) index.raw!.append(raw, s * dim);
    for (const [id, slot] of idMap.entries()) index.idMap.set(id, slot);
    return index;
  } catch (err) {
    index.free();
    if (isAnnkitError(err)) throw err;
    throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${String(err)}`, { cause: err });
  }
}
