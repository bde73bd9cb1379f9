import type { Metric } from '@annkit/core';
import { HEADER_WORDS } from './forest.js';

/*
 * Which side of a hyperplane a vector lies on. An internal record holds a unit normal w and a bias b;
 * the margin of a vector x is  w·x + b·t(x)  where t depends on the metric:
 *
 *   l2      t = 1                         (a hyperplane with an offset, as Annoy's Euclidean trees)
 *   cosine  t = 0                         (rows are normalised on insert; hyperplanes pass through 0)
 *   ip      t = sqrt(maxNorm² − |x|²)     for stored rows, 0 for queries
 *
 * The ip case is Annoy's reduction of maximum inner product search to angular search: every row gets an
 * extra coordinate that puts it on the sphere of radius maxNorm, the query gets 0, so q·x is unchanged and
 * ranking by inner product equals ranking by angle in d + 1 dimensions. The hyperplane's (d+1)-th
 * component is stored as the bias. maxNorm is fixed when the forest is built; a row added later with a
 * larger norm gets t = 0 (its direction still routes it sensibly, and results are always ranked exactly).
 *
 * Routing must be reproducible bit for bit (removal finds a row's leaf again by descending with it), so it
 * uses this fixed-order float64 dot product rather than whichever kernel backend is plugged in.
 */

/** w·x over `dim` values of the record at `nodeOff`, plus bias·t. */
export function margin(floats: Float32Array, nodeOff: number, x: Float32Array, xOff: number, dim: number, t: number): number {
  const w = nodeOff + HEADER_WORDS;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    s0 += floats[w + i]! * x[xOff + i]!;
    s1 += floats[w + i + 1]! * x[xOff + i + 1]!;
    s2 += floats[w + i + 2]! * x[xOff + i + 2]!;
    s3 += floats[w + i + 3]! * x[xOff + i + 3]!;
  }
  for (; i < dim; i++) s0 += floats[w + i]! * x[xOff + i]!;
  return s0 + s1 + s2 + s3 + floats[nodeOff + 3]! * t;
}

/** The metric-dependent part of routing. */
export class RouteSpace {
  readonly metric: Metric;
  readonly dim: number;
  /** ip only: the radius of the sphere rows are lifted onto (0 until the forest is built). */
  maxNorm: number;

  constructor(metric: Metric, dim: number, maxNorm = 0) {
    this.metric = metric;
    this.dim = dim;
    this.maxNorm = maxNorm;
  }

  /** Whether splits are angular (cosine, and ip through the lift) rather than Euclidean. */
  get angular(): boolean {
    return this.metric !== 'l2';
  }

  /** Whether rows carry the extra lifted coordinate. */
  get lifted(): boolean {
    return this.metric === 'ip';
  }

  /** t(x) of a stored row. */
  rowExtra(rows: Float32Array, off: number): number {
    if (this.metric === 'l2') return 1;
    if (this.metric === 'cosine') return 0;
    let sq = 0;
    for (let i = 0; i < this.dim; i++) sq += rows[off + i]! * rows[off + i]!;
    const m = this.maxNorm;
    return Math.sqrt(Math.max(0, m * m - sq));
  }

  /** t(q) of a query. */
  get queryExtra(): number {
    return this.metric === 'l2' ? 1 : 0;
  }

  /** maxNorm for a set of rows: the largest norm among them (ip only). */
  static maxNormOf(rows: Float32Array, stride: number, n: number, dim: number): number {
    let best = 0;
    for (let s = 0, off = 0; s < n; s++, off += stride) {
      let sq = 0;
      for (let i = 0; i < dim; i++) sq += rows[off + i]! * rows[off + i]!;
      if (sq > best) best = sq;
    }
    return Math.sqrt(best);
  }
}
