import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { computeGroundTruth, computeGroundTruthWithDistances, recallAtK } from '../src/index.js';
import { errorCode } from './helpers.js';

function rows(gt: Int32Array, gtK: number, k: number): Int32Array[] {
  return Array.from({ length: gt.length / gtK }, (_, q) => gt.slice(q * gtK, q * gtK + k));
}

describe('recallAtK', () => {
  it('is 1 for the ground truth itself (any k ≤ gtK, any result container)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 10 }), fc.nat(), (nq, gtK, kSeed) => {
        const gt = Int32Array.from({ length: nq * gtK }, (_, i) => (i * 31) % 1000);
        const k = 1 + (kSeed % gtK);
        expect(recallAtK(rows(gt, gtK, gtK), gt, gtK, k)).toBe(1);
        expect(recallAtK(rows(gt, gtK, k).map((r) => Float64Array.from(r)), gt, gtK, k)).toBe(1);
      }),
    );
  });

  it('matches a set-based reference; duplicates, padding and extra results never add hits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(fc.integer({ min: -1, max: 12 }), { maxLength: 10 }), { minLength: 1, maxLength: 5 }),
        (gtK, kSeed, results) => {
          const nq = results.length;
          const gt = new Int32Array(nq * gtK);
          for (let q = 0; q < nq; q++) for (let r = 0; r < gtK; r++) gt[q * gtK + r] = (q + r * 3) % 13; // distinct per row
          const k = 1 + (kSeed % gtK);
          const per = new Float64Array(nq);
          const got = recallAtK(results, gt, gtK, k, { perQuery: per });
          let sum = 0;
          for (let q = 0; q < nq; q++) {
            const truth = new Set(gt.slice(q * gtK, q * gtK + k));
            const hits = new Set(results[q]!.slice(0, k).filter((id) => truth.has(id))).size;
            expect(per[q]).toBe(hits / k);
            sum += hits / k;
          }
          expect(got).toBeCloseTo(sum / nq, 12);
        },
      ),
    );
  });

  it('tie-tolerant recall counts an equally distant substitute', () => {
    const dim = 2;
    // ids 0..3 at distances 1, 4, 9, 9 from the origin query; id 4 far away.
    const base = Float32Array.from([1, 0, 0, 2, 3, 0, 0, -3, 10, 10]);
    const queries = Float32Array.from([0, 0]);
    const gt = computeGroundTruth(base, queries, dim, 'l2', 4);
    expect(Array.from(gt)).toEqual([0, 1, 2, 3]);
    const result = [[0, 1, 3]]; // returns id 3 instead of id 2: same distance
    expect(recallAtK(result, gt, 4, 3)).toBeCloseTo(2 / 3);
    const tie = { base, queries, dim, metric: 'l2' as const };
    expect(recallAtK(result, gt, 4, 3, { tieTolerance: tie })).toBe(1);
    // A farther substitute still misses, and repeats of one id count once.
    expect(recallAtK([[0, 1, 4]], gt, 4, 3, { tieTolerance: tie })).toBeCloseTo(2 / 3);
    expect(recallAtK([[3, 3, 3]], gt, 4, 3, { tieTolerance: tie })).toBeCloseTo(1 / 3);
  });

  it('tie-tolerant recall is never below plain recall and never above 1 (random data)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('l2' as const, 'ip' as const, 'cosine' as const),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.array(fc.nat(11), { maxLength: 6 }), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 1, max: 5 }),
        (metric, vals, results, k) => {
          const dim = 2;
          const base = Float32Array.from(vals); // 12 rows of small positive ints: many ties
          const queries = Float32Array.from(vals.slice(0, 4));
          const gt = computeGroundTruth(base, queries, dim, metric, 6);
          const plain = recallAtK(results, gt, 6, k);
          const tol = recallAtK(results, gt, 6, k, { tieTolerance: { base, queries, dim, metric } });
          expect(tol).toBeGreaterThanOrEqual(plain);
          expect(tol).toBeLessThanOrEqual(1);
          // The k nearest with ties broken the other way (larger id first) still score 1 with tolerance.
          const all = computeGroundTruthWithDistances(base, queries, dim, metric, 12);
          const otherTieOrder = [0, 1].map((q) =>
            Array.from({ length: 12 }, (_, r) => ({ id: all.ids[q * 12 + r]!, d: all.distances[q * 12 + r]! }))
              .sort((x, y) => x.d - y.d || y.id - x.id)
              .slice(0, k)
              .map((e) => e.id),
          );
          expect(recallAtK(otherTieOrder, gt, 6, k, { tieTolerance: { base, queries, dim, metric } })).toBe(1);
        },
      ),
    );
  });

  it('validates its arguments', () => {
    const gt = Int32Array.from([0, 1, 2, 3]);
    expect(errorCode(() => recallAtK([[0]], gt, 2, 3))).toBe('INVALID_ARGUMENT'); // k > gtK
    expect(errorCode(() => recallAtK([], gt, 2, 1))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => recallAtK([[0], [1], [2]], gt, 2, 1))).toBe('DIMENSION_MISMATCH');
    expect(errorCode(() => recallAtK([[0]], gt, 3, 1))).toBe('INVALID_ARGUMENT'); // 4 ids not rows of 3
  });
});
