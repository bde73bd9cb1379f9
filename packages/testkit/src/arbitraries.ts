import fc from 'fast-check';
import type { Metric } from '@annkit/core';

/**
 * Vector values: mostly small integers (so ties and exact arithmetic happen), sometimes arbitrary floats.
 * Under cosine the zero vector is excluded (it has no direction and is rejected by design).
 */
export function vectorArb(dim: number, metric: Metric): fc.Arbitrary<Float32Array> {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -4, max: 4 }) },
    { weight: 2, arbitrary: fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }) },
  );
  return fc
    .array(value, { minLength: dim, maxLength: dim })
    .map((xs) => Float32Array.from(xs))
    .filter((v) => metric !== 'cosine' || v.some((x) => x !== 0));
}

/** Ids from a small range so duplicates, removals of present ids and re-adds are common. */
export const idArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 40 });

export interface Dataset {
  dim: number;
  metric: Metric;
  ids: number[];
  vectors: Float32Array;
  queries: Float32Array[];
}

/** A small random index content plus queries. */
export function datasetArb(opts: { maxDim?: number; maxSize?: number; metrics?: readonly Metric[]; minSize?: number } = {}): fc.Arbitrary<Dataset> {
  const metrics = opts.metrics ?? (['l2', 'ip', 'cosine'] as const);
  return fc
    .record({ dim: fc.integer({ min: 1, max: opts.maxDim ?? 12 }), metric: fc.constantFrom(...metrics) })
    .chain(({ dim, metric }) =>
      fc.record({
        dim: fc.constant(dim),
        metric: fc.constant(metric),
        ids: fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: opts.minSize ?? 0, maxLength: opts.maxSize ?? 60 }),
        queries: fc.array(vectorArb(dim, metric), { minLength: 1, maxLength: 4 }),
      }).chain((r) =>
        fc.array(vectorArb(dim, metric), { minLength: r.ids.length, maxLength: r.ids.length }).map((rows) => {
          const vectors = new Float32Array(r.ids.length * dim);
          rows.forEach((row, i) => vectors.set(row, i * dim));
          return { ...r, vectors };
        }),
      ),
    );
}

/** Deterministic pseudo-random rows (for training samples and larger fixtures) without fast-check shrinking. */
export function randomRows(n: number, dim: number, seed: number, scale = 1): Float32Array {
  let x = seed >>> 0 || 1;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    // xorshift32: enough for test data, and stable across platforms.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = ((x / 4294967296) * 2 - 1) * scale;
  }
  return out;
}
