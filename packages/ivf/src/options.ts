import { AnnkitError, assertDim, assertMetric, assertPositiveInt, optionOr } from '@annkit/core';
import type { BaseIndexOptions, LoadOptions, Metric, SearchOptions } from '@annkit/core';
import type { IvfCodecType } from './list-codec.js';

/** Product-quantizer settings for IVF-PQ: m sub-quantizers of 2^nbits centroids (dim must divide by m). */
export interface IvfPqSpec {
  type: 'pq';
  m: number;
  /** 8 (default) or 4. */
  nbits?: 4 | 8;
  /** k-means iterations per codebook (default 25). */
  niter?: number;
}

/** How the lists store vectors: 'flat' (exact floats), 'sq8' | 'sq4' | 'fp16' (scalar), or PQ. */
export type IvfCodecSpec = 'flat' | 'sq8' | 'sq4' | 'fp16' | IvfPqSpec;

export interface IvfIndexOptions extends BaseIndexOptions {
  /** Coarse centroids (inverted lists). About 4·√n is a good start. */
  nlist: number;
  /** List storage (default 'flat'). */
  codec?: IvfCodecSpec;
  /** SQ/PQ encode the residual from the list centroid (default true, as FAISS). */
  byResidual?: boolean;
  /** Keep the raw vectors too, so searches can `rerank` with exact distances (SQ/PQ). Default false. */
  keepVectors?: boolean;
  /**
   * Re-rank factor used when a search passes none (see IvfSearchOptions.rerank): 0 (default) for none, or
   * a factor ≥ 1. Needs `keepVectors: true`; ignored by the flat codec (already exact). Saved with the index.
   */
  rerank?: number;
  /** k-means iterations for the coarse quantizer (default 10) and the PQ codebooks (default 25). */
  niter?: number;
  /** k-means subsampling cap per centroid (default 256). */
  maxPointsPerCentroid?: number;
}

export type IvfLoadOptions = LoadOptions;

export interface IvfSearchOptions extends SearchOptions {
  /** Lists to scan (default 1, as FAISS; clamped to nlist). nprobe = nlist with the flat codec is exact. */
  nprobe?: number;
  /**
   * Exact re-ranking (FAISS's refine): collect k × rerank candidates from the codes, then order them by
   * exact distances to the raw vectors. Needs `keepVectors: true`; ignored by the flat codec (already exact).
   * Default: the index's `rerank` option; 0 turns re-ranking off for this search.
   */
  rerank?: number;
}

export interface ResolvedIvfOptions {
  dim: number;
  metric: Metric;
  nlist: number;
  codec: IvfCodecType;
  pqM: number;
  pqNbits: 4 | 8;
  pqNiter: number;
  byResidual: boolean;
  keepVectors: boolean;
  /** Default re-rank factor (0 = none). */
  rerank: number;
  niter: number;
  maxPointsPerCentroid: number;
  seed: number;
}

export const DEFAULT_COARSE_NITER = 10;
export const DEFAULT_SEED = 1234;
export const DEFAULT_PQ_NITER = 25;

export function resolveIvfOptions(options: IvfIndexOptions): ResolvedIvfOptions {
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'IvfIndex takes an options object { dim, metric, nlist, codec }.');
  assertDim(options.dim);
  assertMetric(options.metric);
  assertPositiveInt('nlist', options.nlist, 1 << 24);
  const spec = optionOr(options.codec, 'flat');
  let codec: IvfCodecType;
  let pqM = 0;
  let pqNbits: 4 | 8 = 8;
  let pqNiter = DEFAULT_PQ_NITER;
  if (spec === 'flat' || spec === 'sq8' || spec === 'sq4' || spec === 'fp16') codec = spec;
  else if (spec !== null && typeof spec === 'object' && spec.type === 'pq') {
    codec = 'pq';
    assertPositiveInt('codec.m', spec.m, options.dim);
    if (options.dim % spec.m !== 0) throw new AnnkitError('INVALID_ARGUMENT', `codec.m = ${spec.m} must divide dim ${options.dim} (each sub-quantizer takes dim / m values).`);
    pqM = spec.m;
    const nbits = spec.nbits ?? 8;
    if (nbits !== 4 && nbits !== 8) throw new AnnkitError('INVALID_ARGUMENT', `codec.nbits must be 4 or 8, got ${String(nbits)}.`);
    pqNbits = nbits;
    pqNiter = spec.niter ?? DEFAULT_PQ_NITER;
    assertPositiveInt('codec.niter', pqNiter, 100_000);
  } else {
    throw new AnnkitError('INVALID_ARGUMENT', `codec must be 'flat', 'sq8', 'sq4', 'fp16' or { type: 'pq', m, nbits }, got ${JSON.stringify(spec)}.`);
  }
  const niter = optionOr(options.niter, DEFAULT_COARSE_NITER);
  assertPositiveInt('niter', niter, 100_000);
  const maxPointsPerCentroid = optionOr(options.maxPointsPerCentroid, 256);
  assertPositiveInt('maxPointsPerCentroid', maxPointsPerCentroid);
  const seed = optionOr(options.seed, DEFAULT_SEED);
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new AnnkitError('INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}.`);
  const keepVectors = codec !== 'flat' && options.keepVectors === true;
  const rerank = assertRerank(optionOr(options.rerank, 0));
  if (rerank > 0 && codec !== 'flat' && !keepVectors) throw new AnnkitError('INVALID_ARGUMENT', 'rerank needs the raw vectors: create the index with keepVectors: true.');
  return {
    dim: options.dim,
    metric: options.metric,
    nlist: options.nlist,
    codec,
    pqM,
    pqNbits,
    pqNiter,
    byResidual: codec !== 'flat' && options.byResidual !== false,
    keepVectors,
    // The flat codec is already exact: a default factor means nothing there (as a per-search one).
    rerank: codec === 'flat' ? 0 : rerank,
    niter,
    maxPointsPerCentroid,
    seed,
  };
}

/** Validates per-call search parameters; returns [nprobe, rerank factor (0 = off)]. */
export function resolveSearchParams(opts: IvfSearchOptions | undefined, defaultRerank: number): [number, number] {
  const nprobe = optionOr(opts?.nprobe, 1);
  assertPositiveInt('nprobe', nprobe);
  return [nprobe, assertRerank(optionOr(opts?.rerank, defaultRerank))];
}

/** Whether a re-rank factor is valid: 0 (none) or a number in [1, 1e6]. */
export function isValidRerank(rerank: unknown): rerank is number {
  return typeof rerank === 'number' && (rerank === 0 || (rerank >= 1 && rerank <= 1e6));
}

function assertRerank(rerank: unknown): number {
  if (!isValidRerank(rerank)) throw new AnnkitError('INVALID_ARGUMENT', `rerank must be a factor ≥ 1 (or 0 for none), got ${String(rerank)}.`);
  return rerank;
}
