import type { Rng } from '@annkit/core';
import { HEADER_WORDS, INTERNAL } from './forest.js';
import { margin } from './route.js';
import type { RouteSpace } from './route.js';

/** Two-means refinement steps per split (Annoy uses the same number). */
const TWO_MEANS_STEPS = 200;
/** Two-means attempts before giving up on balance. */
const ATTEMPTS = 3;
/** A split is accepted at once when neither side holds more than this share. */
const BALANCED = 0.95;

/**
 * Chooses the hyperplane of one split, Annoy-style: two sampled points seed two centroids that a few
 * hundred sampled points refine (two-means), and the hyperplane bisects the centroids. All buffers are
 * allocated once and grown only when a larger set must be split.
 */
export class Splitter {
  private readonly space: RouteSpace;
  private readonly dim: number;
  /** Centroids in routing space (dim values, plus the lifted coordinate under ip). */
  private readonly c0: Float64Array;
  private readonly c1: Float64Array;
  private readonly normal: Float64Array;
  /** Candidate and best hyperplane, laid out as an internal record. */
  private plane: Float32Array;
  private bestPlane: Float32Array;
  private sides = new Uint8Array(64);
  private bestSides = new Uint8Array(64);
  /** t(x) of each slot being split, by position. */
  private extras = new Float64Array(64);
  private spill = new Int32Array(64);

  constructor(space: RouteSpace, width: number) {
    this.space = space;
    this.dim = space.dim;
    this.c0 = new Float64Array(this.dim + 1);
    this.c1 = new Float64Array(this.dim + 1);
    this.normal = new Float64Array(this.dim + 1);
    this.plane = new Float32Array(width);
    this.bestPlane = new Float32Array(width);
  }

  /** The hyperplane chosen by the last successful split(), as an internal record's words. */
  get chosen(): Float32Array {
    return this.bestPlane;
  }

  /**
   * Splits slots[lo, hi) (at least two) by a hyperplane and partitions them stably, left side first.
   * Returns how many went left (both sides non-empty), or -1 when no hyperplane separates them
   * (all rows identical in routing space). `extraBySlot` holds t(x) per slot when precomputed.
   */
  split(rows: Float32Array, stride: number, slots: Int32Array, lo: number, hi: number, extraBySlot: Float64Array | null, rng: Rng): number {
    const m = hi - lo;
    this.ensure(m);
    const extras = this.extras;
    if (this.space.lifted) {
      for (let i = 0; i < m; i++) {
        const slot = slots[lo + i]!;
        extras[i] = extraBySlot !== null ? extraBySlot[slot]! : this.space.rowExtra(rows, slot * stride);
      }
    } else {
      // Without the lift, t is the same constant for rows and queries.
      extras.fill(this.space.queryExtra, 0, m);
    }
    let bestSmall = -1;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const a = rng.int(m);
      let b = rng.int(m - 1);
      if (b >= a) b++;
      this.load(this.c0, rows, slots[lo + a]! * stride, extras[a]!);
      this.load(this.c1, rows, slots[lo + b]! * stride, extras[b]!);
      this.twoMeans(rows, stride, slots, lo, m, rng);
      const small = this.tryPlane(rows, stride, slots, lo, m);
      if (small > bestSmall) {
        bestSmall = small;
        this.keepCandidate();
      }
      if (bestSmall > 0 && m - bestSmall <= BALANCED * m) break;
    }
    if (bestSmall <= 0) {
      // Two-means met two equal points: bisect a point and the point farthest from it instead.
      const a = rng.int(m);
      this.load(this.c0, rows, slots[lo + a]! * stride, extras[a]!);
      const far = this.farthestFrom(this.c0, rows, stride, slots, lo, m);
      if (far < 0) return -1;
      this.load(this.c1, rows, slots[lo + far]! * stride, extras[far]!);
      if (this.tryPlane(rows, stride, slots, lo, m) <= 0) return -1;
      this.keepCandidate();
    }
    return this.partition(slots, lo, m);
  }

  private ensure(m: number): void {
    if (m <= this.sides.length) return;
    const size = Math.max(m, Math.ceil(this.sides.length * 1.5));
    this.sides = new Uint8Array(size);
    this.bestSides = new Uint8Array(size);
    this.extras = new Float64Array(size);
    this.spill = new Int32Array(size);
  }

  private keepCandidate(): void {
    const plane = this.plane;
    this.plane = this.bestPlane;
    this.bestPlane = plane;
    const sides = this.sides;
    this.sides = this.bestSides;
    this.bestSides = sides;
  }

  /** Copies a row into a centroid (with its lifted coordinate under ip). */
  private load(c: Float64Array, rows: Float32Array, off: number, extra: number): void {
    for (let i = 0; i < this.dim; i++) c[i] = rows[off + i]!;
    c[this.dim] = this.space.lifted ? extra : 0;
  }

  /** Distance used to assign points to centroids: squared l2, or 1 − cos in routing space. */
  private distance(c: Float64Array, cNorm: number, rows: Float32Array, off: number, extra: number): number {
    const dim = this.dim;
    if (!this.space.angular) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        const d = c[i]! - rows[off + i]!;
        s += d * d;
      }
      return s;
    }
    let dot = 0;
    let xx = 0;
    for (let i = 0; i < dim; i++) {
      const x = rows[off + i]!;
      dot += c[i]! * x;
      xx += x * x;
    }
    if (this.space.lifted) {
      dot += c[dim]! * extra;
      xx += extra * extra;
    }
    const denom = cNorm * Math.sqrt(xx);
    return denom > 0 ? 1 - dot / denom : 1;
  }

  private squaredNorm(c: Float64Array): number {
    let s = 0;
    for (let i = 0; i <= this.dim; i++) s += c[i]! * c[i]!;
    return s;
  }

  private norm(c: Float64Array): number {
    return Math.sqrt(this.squaredNorm(c));
  }

  /**
   * Refines the two centroids with sampled points, each joining the nearer (size-weighted) centroid.
   * One pass over the point gives both distances; norms are updated from the dot products, not recomputed.
   */
  private twoMeans(rows: Float32Array, stride: number, slots: Int32Array, lo: number, m: number, rng: Rng): void {
    const { c0, c1, dim } = this;
    const extras = this.extras;
    const lifted = this.space.lifted;
    const angular = this.space.angular;
    let n0 = 1;
    let n1 = 1;
    let sq0 = this.squaredNorm(c0);
    let sq1 = this.squaredNorm(c1);
    for (let step = 0; step < TWO_MEANS_STEPS; step++) {
      const k = rng.int(m);
      const off = slots[lo + k]! * stride;
      const extra = lifted ? extras[k]! : 0;
      let dot0 = 0;
      let dot1 = 0;
      let xx = 0;
      for (let i = 0; i < dim; i++) {
        const x = rows[off + i]!;
        dot0 += c0[i]! * x;
        dot1 += c1[i]! * x;
        xx += x * x;
      }
      dot0 += c0[dim]! * extra;
      dot1 += c1[dim]! * extra;
      xx += extra * extra;
      let d0: number;
      let d1: number;
      if (angular) {
        // 1 − cos, from the dot products and norms.
        const nx = Math.sqrt(xx);
        d0 = sq0 > 0 && nx > 0 ? 1 - dot0 / (Math.sqrt(sq0) * nx) : 1;
        d1 = sq1 > 0 && nx > 0 ? 1 - dot1 / (Math.sqrt(sq1) * nx) : 1;
      } else {
        // |c − x|² = |c|² − 2 c·x + |x|².
        d0 = sq0 - 2 * dot0 + xx;
        d1 = sq1 - 2 * dot1 + xx;
      }
      d0 *= n0;
      d1 *= n1;
      if (d0 === d1) continue;
      const toFirst = d0 < d1;
      const c = toFirst ? c0 : c1;
      const n = toFirst ? n0++ : n1++;
      // c ← (n c + x) / (n + 1); its squared norm follows from c·x and |x|².
      const a = n / (n + 1);
      const b = 1 / (n + 1);
      for (let i = 0; i < dim; i++) c[i] = c[i]! * a + rows[off + i]! * b;
      c[dim] = c[dim]! * a + extra * b;
      if (toFirst) sq0 = a * a * sq0 + 2 * a * b * dot0 + b * b * xx;
      else sq1 = a * a * sq1 + 2 * a * b * dot1 + b * b * xx;
    }
  }

  /** Position of the point farthest from `c` (-1 when every point coincides with it). */
  private farthestFrom(c: Float64Array, rows: Float32Array, stride: number, slots: Int32Array, lo: number, m: number): number {
    const cNorm = this.norm(c);
    let best = 0;
    let at = -1;
    for (let i = 0; i < m; i++) {
      const d = this.distance(c, cNorm, rows, slots[lo + i]! * stride, this.extras[i]!);
      if (d > best) {
        best = d;
        at = i;
      }
    }
    return at;
  }

  /**
   * Writes the hyperplane bisecting c0 and c1 into `plane`, records each point's side in `sides` and
   * returns the size of the smaller side (-1 when the centroids coincide).
   */
  private tryPlane(rows: Float32Array, stride: number, slots: Int32Array, lo: number, m: number): number {
    const { c0, c1, dim, normal } = this;
    const n = this.space.lifted ? dim + 1 : dim;
    let bias = 0;
    if (this.space.angular) {
      const a = this.norm(c0);
      const b = this.norm(c1);
      if (!(a > 0 && b > 0)) return -1;
      for (let i = 0; i < n; i++) normal[i] = c0[i]! / a - c1[i]! / b;
    } else {
      for (let i = 0; i < n; i++) normal[i] = c0[i]! - c1[i]!;
    }
    let len = 0;
    for (let i = 0; i < n; i++) len += normal[i]! * normal[i]!;
    len = Math.sqrt(len);
    if (!(len > 0) || !Number.isFinite(len)) return -1;
    for (let i = 0; i < n; i++) normal[i] = normal[i]! / len;
    if (this.space.lifted) bias = normal[dim]!;
    else if (!this.space.angular) {
      for (let i = 0; i < dim; i++) bias -= normal[i]! * (c0[i]! + c1[i]!) * 0.5;
    }
    const plane = this.plane;
    plane.fill(0);
    plane[0] = INTERNAL;
    plane[3] = bias;
    for (let i = 0; i < dim; i++) plane[HEADER_WORDS + i] = normal[i]!;
    if (!Number.isFinite(plane[3]!)) return -1;
    const sides = this.sides;
    const extras = this.extras;
    let right = 0;
    for (let i = 0; i < m; i++) {
      const side = margin(plane, 0, rows, slots[lo + i]! * stride, dim, extras[i]!) > 0 ? 1 : 0;
      sides[i] = side;
      right += side;
    }
    return Math.min(right, m - right);
  }

  /** Stable partition of slots[lo, lo+m) by bestSides; returns the left count. */
  private partition(slots: Int32Array, lo: number, m: number): number {
    const sides = this.bestSides;
    const spill = this.spill;
    let left = 0;
    let right = 0;
    for (let i = 0; i < m; i++) {
      const slot = slots[lo + i]!;
      if (sides[i] === 0) slots[lo + left++] = slot;
      else spill[right++] = slot;
    }
    for (let i = 0; i < right; i++) slots[lo + left + i] = spill[i]!;
    return left;
  }
}
