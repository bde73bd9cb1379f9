import { AnnkitError, assertMetric } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { exactDistance } from './exact-distance.js';

/** The vectors and metric that ground truth was computed on, for tie-tolerant recall. */
export interface TieTolerance {
  readonly base: Float32Array;
  readonly queries: Float32Array;
  readonly dim: number;
  readonly metric: Metric;
  /** Relative slack on the k-th neighbour's distance (default 1e-9), absorbing last-bit rounding. */
  readonly epsilon?: number;
}

export interface RecallOptions {
  /**
   * Also count a returned id as a hit when its exact distance to the query is ≤ the exact distance of the
   * k-th ground-truth neighbour (× (1 + epsilon) in magnitude), so an index that returns an equally near
   * neighbour instead of the one ground truth picked by id is not penalised.
   */
  readonly tieTolerance?: TieTolerance;
  /** If given (length ≥ number of queries), receives each query's recall. */
  readonly perQuery?: Float64Array;
}

/**
 * Mean recall@k over queries: for query q, |results[q][:k] ∩ gt[q][:k]| / k.
 * - `results[q]` lists returned ids, nearest first (e.g. a SearchResult's `ids`); only the first k count,
 *   each id at most once; negative or non-integer ids (padding) never count.
 * - `gt` is row-major `nQueries × gtK` (as in groundtruth.ivecs); it must have at least `results.length` rows,
 *   and `k ≤ gtK`.
 * - With `opts.tieTolerance`, equally distant substitutes also count (see RecallOptions); at most k hits per query.
 */
export function recallAtK(results: ReadonlyArray<ArrayLike<number>>, gt: Int32Array, gtK: number, k: number, opts?: RecallOptions): number {
  const nq = results.length;
  if (!Number.isInteger(gtK) || gtK < 1 || gt.length % gtK !== 0) {
    throw new AnnkitError('INVALID_ARGUMENT', `gtK must be a positive integer dividing the ground truth length ${gt.length}, got ${String(gtK)}.`);
  }
  if (!Number.isInteger(k) || k < 1 || k > gtK) throw new AnnkitError('INVALID_ARGUMENT', `k must be an integer in 1..gtK (${gtK}), got ${String(k)}.`);
  if (nq === 0) throw new AnnkitError('INVALID_ARGUMENT', 'recallAtK needs at least one query result.');
  if (gt.length / gtK < nq) throw new AnnkitError('DIMENSION_MISMATCH', `${nq} result lists but ground truth has only ${gt.length / gtK} rows.`);
  const tie = opts?.tieTolerance;
  if (tie) checkTie(tie, nq);
  const eps = tie?.epsilon ?? 1e-9;
  const nBase = tie ? tie.base.length / tie.dim : 0;
  const truth = new Set<number>();
  const seen = new Set<number>();
  let sum = 0;
  for (let q = 0; q < nq; q++) {
    const row = q * gtK;
    truth.clear();
    for (let r = 0; r < k; r++) truth.add(gt[row + r]!);
    let bound = -Infinity;
    if (tie) {
      const kth = gt[row + k - 1]!;
      if (kth >= 0 && kth < nBase) {
        const d = exactDistance(tie.metric, tie.queries, q, tie.base, kth, tie.dim);
        bound = d + eps * Math.abs(d);
      }
    }
    const res = results[q]!;
    const m = Math.min(k, res.length);
    seen.clear();
    let hits = 0;
    for (let i = 0; i < m; i++) {
      const id = res[i]!;
      if (!Number.isInteger(id) || id < 0 || seen.has(id)) continue;
      seen.add(id);
      if (truth.has(id)) hits++;
      else if (tie && id < nBase && exactDistance(tie.metric, tie.queries, q, tie.base, id, tie.dim) <= bound) hits++;
    }
    const recall = hits / k;
    if (opts?.perQuery) opts.perQuery[q] = recall;
    sum += recall;
  }
  return sum / nq;
}

function checkTie(tie: TieTolerance, nq: number): void {
  assertMetric(tie.metric);
  const { base, queries, dim } = tie;
  if (!Number.isInteger(dim) || dim < 1 || base.length % dim !== 0 || queries.length % dim !== 0) {
    throw new AnnkitError('DIMENSION_MISMATCH', `tieTolerance: base and queries must be multiples of dim ${String(dim)}.`);
  }
  if (queries.length / dim < nq) throw new AnnkitError('DIMENSION_MISMATCH', `tieTolerance: ${nq} result lists but only ${queries.length / dim} queries.`);
  if (tie.epsilon !== undefined && !(tie.epsilon >= 0)) throw new AnnkitError('INVALID_ARGUMENT', `tieTolerance.epsilon must be ≥ 0, got ${tie.epsilon}.`);
}
