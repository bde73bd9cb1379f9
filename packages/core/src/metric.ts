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

/**
 * The one place that turns a kernel value into the metric's distance: l2 kernels already return the squared
 * distance; dot kernels return the dot product, which becomes −dot (ip) or 1 − dot (cosine, unit rows).
 */
export function kernelToDistance(metric: Metric, raw: number): number {
  return metric === 'l2' ? raw : metric === 'ip' ? -raw : 1 - raw;
}

/** kernelToDistance over out[0 .. n), in place. */
export function kernelToDistanceInPlace(metric: Metric, out: Float32Array, n: number): void {
  if (metric === 'ip') for (let i = 0; i < n; i++) out[i] = -out[i]!;
  else if (metric === 'cosine') for (let i = 0; i < n; i++) out[i] = 1 - out[i]!;
}

/**
 * The one place that prepares a row for the metric: under cosine it is scaled to unit length (its squared
 * norm is given, already validated), otherwise copied. Writes dim values of src@srcOff to dst@dstOff.
 */
export function prepareRow(metric: Metric, src: Float32Array, srcOff: number, squaredNorm: number, dst: Float32Array, dstOff: number, dim: number): void {
  if (metric === 'cosine') {
    const scale = 1 / Math.sqrt(squaredNorm);
    for (let i = 0; i < dim; i++) dst[dstOff + i] = src[srcOff + i]! * scale;
  } else {
    for (let i = 0; i < dim; i++) dst[dstOff + i] = src[srcOff + i]!;
  }
}

/**
 * prepareRow for n packed rows (row r at src@srcOff + r × dim) into dst rows `dstStride` apart from dstOff,
 * in one call: the norm is computed here (float64 accumulation), and only when the metric normalises.
 * The caller has validated the rows (finite, non-zero under cosine).
 */
export function prepareRows(metric: Metric, src: Float32Array, srcOff: number, n: number, dim: number, dst: Float32Array, dstOff: number, dstStride: number): void {
  const normalise = metric === 'cosine';
  for (let r = 0; r < n; r++) {
    const s = srcOff + r * dim;
    const d = dstOff + r * dstStride;
    let scale = 1;
    if (normalise) {
      let sum = 0;
      for (let i = 0; i < dim; i++) sum += src[s + i]! * src[s + i]!;
      scale = 1 / Math.sqrt(sum);
    }
    for (let i = 0; i < dim; i++) dst[d + i] = src[s + i]! * scale;
  }
}

/** Squared norm of dim values from `off` (float64 accumulation). */
export function squaredNorm(v: Float32Array, off: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  return s;
}
