import { AnnkitError, assertDim, assertFloat32Array, assertPositiveInt, optionOr } from '@annkit/core';
import type { KernelChoice, Kernels, LongTaskOptions } from '@annkit/core';
import { resolveKernels } from '@annkit/wasm';

export type KMeansInit = 'kmeans++' | 'random';

export interface KMeansOptions extends LongTaskOptions {
  /** Number of centroids wanted. */
  k: number;
  /** Values per sample row (samples are row-major n × dim). */
  dim: number;
  /** Lloyd iterations (default 25, as FAISS). Stops early once no assignment changes. */
  niter?: number;
  /** Seed of every random choice (default 1234): same seed and samples ⇒ same centroids. */
  seed?: number;
  /** 'kmeans++' (default: D²-weighted seeding) or 'random' (k distinct samples, FAISS's default). */
  init?: KMeansInit;
  /** Above k × this many samples, train on a seeded subsample of that size (default 256, as FAISS). */
  maxPointsPerCentroid?: number;
  /**
   * Spherical k-means for cosine / inner product: assignment by largest dot product and centroids
   * renormalised to unit length after each update.
   */
  spherical?: boolean;
  /**
   * Distance kernels for the assignment step (kernels.assignNearest): loaded kernels, or 'auto' (default:
   * WASM SIMD where the runtime supports it, else TypeScript), 'js' or 'wasm'. The TS kernels give
   * bit-identical results for a seed across releases; WASM sums in float32, so ties may break differently.
   */
  kernels?: Kernels | KernelChoice;
}

export interface ResolvedKMeansOptions {
  k: number;
  dim: number;
  niter: number;
  seed: number;
  init: KMeansInit;
  maxPointsPerCentroid: number;
  spherical: boolean;
  kernels: Kernels;
}

export const DEFAULT_NITER = 25;
export const DEFAULT_SEED = 1234;
export const DEFAULT_MAX_POINTS_PER_CENTROID = 256;
/** Below this many samples per centroid the result is still returned, with a warning (FAISS uses 39). */
export const MIN_POINTS_PER_CENTROID = 39;

/** Checks every option and the samples (finite values, whole rows) before any work. Returns the row count. */
export function resolveOptions(samples: unknown, options: KMeansOptions): { n: number; opts: ResolvedKMeansOptions } {
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'kmeans() takes an options object { k, dim, … }.');
  assertDim(options.dim);
  assertPositiveInt('k', options.k);
  const niter = optionOr(options.niter, DEFAULT_NITER);
  if (typeof niter !== 'number' || !Number.isInteger(niter) || niter < 0 || niter > 100_000) {
    throw new AnnkitError('INVALID_ARGUMENT', `niter must be an integer in 0..100000, got ${String(niter)}.`);
  }
  const seed = optionOr(options.seed, DEFAULT_SEED);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new AnnkitError('INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}.`);
  const init = optionOr(options.init, 'kmeans++');
  if (init !== 'kmeans++' && init !== 'random') throw new AnnkitError('INVALID_ARGUMENT', `init must be 'kmeans++' or 'random', got ${JSON.stringify(init)}.`);
  const maxPointsPerCentroid = optionOr(options.maxPointsPerCentroid, DEFAULT_MAX_POINTS_PER_CENTROID);
  assertPositiveInt('maxPointsPerCentroid', maxPointsPerCentroid);
  assertFloat32Array('samples', samples);
  const dim = options.dim;
  if (samples.length % dim !== 0) {
    throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${dim}.`);
  }
  const n = samples.length / dim;
  if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'k-means needs at least one sample row; got none.');
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v - v !== 0) throw new AnnkitError('INVALID_VECTOR', `samples row ${Math.floor(i / dim)} has a non-finite value (${v}); training rows must be finite.`);
  }
  return {
    n,
    opts: { k: options.k, dim, niter, seed, init, maxPointsPerCentroid, spherical: options.spherical === true, kernels: resolveKernels(options.kernels) },
  };
}
