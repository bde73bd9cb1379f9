import { AnnkitError } from './errors.js';

/** 'l2' = squared Euclidean, 'ip' = negated dot product, 'cosine' = 1 - cos. Smaller is always closer. */
export type Metric = 'l2' | 'ip' | 'cosine';

export const METRICS: readonly Metric[] = ['l2', 'ip', 'cosine'];

/** Numeric codes used by the binary format. */
const METRIC_CODES: Record<Metric, number> = { l2: 0, ip: 1, cosine: 2 };

export function metricCode(metric: Metric): number {
  return METRIC_CODES[metric];
}

export function metricFromCode(code: number): Metric | undefined {
  return METRICS[code];
}

export function assertMetric(metric: unknown): asserts metric is Metric {
  if (typeof metric !== 'string' || !(METRICS as readonly string[]).includes(metric)) {
    throw new AnnkitError('INVALID_ARGUMENT', `Unknown metric ${JSON.stringify(metric)}: expected one of ${METRICS.map((m) => `'${m}'`).join(', ')}.`);
  }
}

/** Whether the metric is computed from a dot product (cosine runs on normalised rows). */
export function usesDot(metric: Metric): boolean {
  return metric !== 'l2';
}

/**
 * Converts a raw kernel value into the metric's distance:
 * l2 kernels already return squared distance; dot kernels return the dot product.
 */
export function dotToDistance(metric: Metric, dot: number): number {
  return metric === 'ip' ? -dot : 1 - dot;
}
