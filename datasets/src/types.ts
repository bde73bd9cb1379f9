import { AnnkitError } from '@annkit/core';
import type { Metric } from '@annkit/core';

/** Where a loaded dataset came from (plain strings: this type is shared with browser code). */
export interface DatasetSource {
  /** 'shared': a folder of the shared datasets directory; 'cache': built locally (e.g. from npm). */
  readonly kind: 'shared' | 'cache';
  /** Folder that holds base.fvecs, query.fvecs, groundtruth.ivecs and meta.json. */
  readonly dir: string;
  readonly description?: string;
  readonly license?: string;
}

/**
 * A benchmark dataset held in memory. Vectors are row-major float32; base ids are row positions.
 * `groundTruth` holds `nQueries × gtK` base ids, nearest first, exact for exactly this base.
 */
export interface Dataset {
  readonly name: string;
  readonly metric: Metric;
  readonly dim: number;
  readonly base: Float32Array;
  readonly nBase: number;
  readonly queries: Float32Array;
  readonly nQueries: number;
  readonly groundTruth: Int32Array;
  readonly gtK: number;
  readonly source?: DatasetSource;
}

/** Metric names used by meta.json files (ann-benchmarks style) and annkit's own names. */
export type MetaMetric = 'euclidean' | 'angular' | 'ip' | Metric;

/** Maps a meta.json metric to annkit's: euclidean → 'l2', angular → 'cosine'. */
export function metricFromMeta(name: string): Metric {
  switch (name) {
    case 'euclidean':
    case 'l2':
      return 'l2';
    case 'angular':
    case 'cosine':
      return 'cosine';
    case 'ip':
    case 'dot':
      return 'ip';
    default:
      throw new AnnkitError('CORRUPT_DATA', `Unknown dataset metric ${JSON.stringify(name)}: expected euclidean, angular or ip.`);
  }
}

/** The inverse of metricFromMeta, for writing meta.json files readable by other tools. */
export function metricToMeta(metric: Metric): 'euclidean' | 'angular' | 'ip' {
  return metric === 'l2' ? 'euclidean' : metric === 'cosine' ? 'angular' : 'ip';
}
