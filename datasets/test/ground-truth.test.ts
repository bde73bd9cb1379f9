import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Metric } from '@annkit/core';
import { computeGroundTruth, computeGroundTruthWithDistances, groundTruthDistances } from '../src/index.js';
import { errorCode, intRows, naiveKnn } from './helpers.js';

const metrics: Metric[] = ['l2', 'ip', 'cosine'];

describe('computeGroundTruth', () => {
  it('equals a naive brute force (ids and float64 distances) for every metric', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...metrics),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 9 }),
        fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 64 }),
        fc.boolean(),
        fc.nat(),
        (metric, dim, nb, nq, values, integers, kSeed) => {
          // Half the runs use small integers so many distances tie exactly.
          const vals = integers ? values.map((v) => Math.round(v)) : values;
          const base = intRows(nb, dim, vals, metric === 'cosine');
          const queries = intRows(nq, dim, vals.slice().reverse(), metric === 'cosine');
          const k = 1 + (kSeed % nb);
          const got = computeGroundTruthWithDistances(base, queries, dim, metric, k);
          const want = naiveKnn(base, queries, dim, metric, k);
          expect(got.ids).toEqual(want.ids);
          expect(got.distances).toEqual(want.dists);
          expect(computeGroundTruth(base, queries, dim, metric, k)).toEqual(want.ids);
          expect(groundTruthDistances(base, queries, dim, metric, got.ids, k)).toEqual(want.dists);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('breaks ties by the smaller base id (duplicated vectors)', () => {
    const dim = 3;
    const v = [1, 2, 3];
    const w = [2, 4, 6]; // same direction as v: a cosine tie, not an l2 one
    // ids: 0 far, 1 = v, 2 far, 3 = v, 4 = w, 5 = v
    const rows = [[9, 9, 9], v, [-5, 0, 1], v, w, v];
    const base = Float32Array.from(rows.flat());
    const q = Float32Array.from(v);
    expect(Array.from(computeGroundTruth(base, q, dim, 'l2', 4))).toEqual([1, 3, 5, 4]);
    expect(Array.from(computeGroundTruth(base, q, dim, 'cosine', 4))).toEqual([1, 3, 4, 5]);
    // ip prefers the longer w, then the three v copies in id order.
    expect(Array.from(computeGroundTruth(base, q, dim, 'ip', 4))).toEqual([0, 4, 1, 3]);
  });

  it('reports progress in phase groundtruth and stops on abort', () => {
    const dim = 4;
    const base = Float32Array.from({ length: 50 * dim }, (_, i) => (i * 7919) % 13);
    const queries = Float32Array.from({ length: 40 * dim }, (_, i) => (i * 104729) % 11);
    const events: number[] = [];
    computeGroundTruth(base, queries, dim, 'l2', 5, {
      onProgress: (e) => {
        expect(e.phase).toBe('groundtruth');
        expect(e.total).toBe(40);
        events.push(e.done);
      },
    });
    expect(events[0]).toBe(0);
    expect(events.at(-1)).toBe(40);
    expect(events).toEqual([...events].sort((a, b) => a - b));

    const ac = new AbortController();
    ac.abort();
    expect(errorCode(() => computeGroundTruth(base, queries, dim, 'l2', 5, { signal: ac.signal }))).toBe('ABORTED');
    const mid = new AbortController();
    let seen = 0;
    const code = errorCode(() =>
      computeGroundTruth(base, queries, dim, 'l2', 5, {
        signal: mid.signal,
        onProgress: (e) => {
          seen = e.done;
          if (e.done >= 8) mid.abort();
        },
      }),
    );
    expect(code).toBe('ABORTED');
    expect(seen).toBeLessThan(40);
  });

  it('validates its inputs', () => {
    const base = new Float32Array(12);
    base.fill(1);
    const q = new Float32Array(3).fill(1);
    expect(errorCode(() => computeGroundTruth(base, q, 3, 'l2', 5))).toBe('INVALID_ARGUMENT'); // k > nBase
    expect(errorCode(() => computeGroundTruth(base, new Float32Array(4), 3, 'l2', 1))).toBe('DIMENSION_MISMATCH');
    expect(errorCode(() => computeGroundTruth(base, q, 3, 'hamming' as Metric, 1))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => computeGroundTruth(new Float32Array(3), q, 3, 'cosine', 1))).toBe('INVALID_VECTOR'); // zero row
    expect(errorCode(() => computeGroundTruth(Float32Array.of(1, NaN, 1), q, 3, 'l2', 1))).toBe('INVALID_VECTOR');
    expect(computeGroundTruth(base, new Float32Array(0), 3, 'l2', 2)).toEqual(new Int32Array(0));
  });
});
