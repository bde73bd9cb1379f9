import type { Metric } from '@annkit/core';

export interface ModelHit {
  id: number;
  distance: number;
}

/**
 * The brute-force reference: a map of id → vector with float64 distances. Every index is compared with it.
 * Vectors are kept as given; cosine normalises in the distance, as the indexes do on insert.
 */
export class BruteForceModel {
  readonly dim: number;
  readonly metric: Metric;
  readonly vectors = new Map<number, Float32Array>();

  constructor(dim: number, metric: Metric) {
    this.dim = dim;
    this.metric = metric;
  }

  get size(): number {
    return this.vectors.size;
  }

  set(id: number, v: Float32Array): void {
    this.vectors.set(id, Float32Array.from(v));
  }

  delete(id: number): boolean {
    return this.vectors.delete(id);
  }

  distance(q: Float32Array, id: number): number {
    const x = this.vectors.get(id);
    if (!x) throw new Error(`model: unknown id ${id}`);
    return modelDistance(this.metric, q, x);
  }

  /** All live ids that pass `filter`, closest first (ties by smaller id). */
  rank(q: Float32Array, filter?: (id: number) => boolean): ModelHit[] {
    const hits: ModelHit[] = [];
    for (const [id, x] of this.vectors) {
      if (filter && !filter(id)) continue;
      hits.push({ id, distance: modelDistance(this.metric, q, x) });
    }
    hits.sort((a, b) => a.distance - b.distance || a.id - b.id);
    return hits;
  }

  search(q: Float32Array, k: number, filter?: (id: number) => boolean): ModelHit[] {
    return this.rank(q, filter).slice(0, k);
  }
}

export function modelDistance(metric: Metric, q: Float32Array, x: Float32Array): number {
  let dot = 0;
  let qq = 0;
  let xx = 0;
  let l2 = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i]!;
    const b = x[i]!;
    dot += a * b;
    qq += a * a;
    xx += b * b;
    l2 += (a - b) * (a - b);
  }
  if (metric === 'l2') return l2;
  if (metric === 'ip') return -dot;
  return 1 - dot / Math.sqrt(qq * xx);
}

/** How far a float32 kernel may drift from the float64 model for these two vectors. */
export function distanceTolerance(metric: Metric, q: Float32Array, x: Float32Array): number {
  let qq = 0;
  let xx = 0;
  for (let i = 0; i < q.length; i++) {
    qq += q[i]! * q[i]!;
    xx += x[i]! * x[i]!;
  }
  if (metric === 'cosine') return 1e-4;
  if (metric === 'ip') return 1e-4 * (1 + Math.sqrt(qq * xx));
  return 1e-4 * (1 + qq + xx);
}
