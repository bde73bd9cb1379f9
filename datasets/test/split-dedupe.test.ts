import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { dedupeRows, gatherRows, splitSeeded } from '../src/index.js';
import { errorCode } from './helpers.js';

describe('splitSeeded', () => {
  it('is deterministic, disjoint and a prefix-stable function of the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.nat(), (n, qSeed, seed) => {
        const nq = qSeed % (n + 1);
        const a = splitSeeded(n, nq, seed);
        expect(splitSeeded(n, nq, seed)).toEqual(a);
        expect(a.queries.length + a.base.length).toBe(n);
        expect(new Set([...a.queries, ...a.base]).size).toBe(n);
        // A smaller base is a prefix of the full one (same shuffle).
        const small = splitSeeded(n, nq, seed, Math.floor((n - nq) / 2));
        expect(small.queries).toEqual(a.queries);
        expect(Array.from(small.base)).toEqual(Array.from(a.base.subarray(0, small.base.length)));
      }),
    );
    expect(splitSeeded(100, 10, 1).queries).not.toEqual(splitSeeded(100, 10, 2).queries);
    expect(errorCode(() => splitSeeded(5, 4, 1, 2))).toBe('INVALID_ARGUMENT');
  });

  it('gatherRows copies rows in list order', () => {
    const data = Float32Array.from([0, 0, 1, 1, 2, 2]);
    expect(Array.from(gatherRows(data, 2, [2, 0]))).toEqual([2, 2, 0, 0]);
    expect(errorCode(() => gatherRows(data, 2, [3]))).toBe('INVALID_ARGUMENT');
  });
});

describe('dedupeRows', () => {
  it('keeps the first copy of each distinct row (and drops zero rows on request)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 3, maxLength: 3 }), { maxLength: 40 }), fc.boolean(), (rows, dropZero) => {
        const data = Float32Array.from(rows.flat());
        const res = dedupeRows(data, 3, { dropZero });
        const seen = new Set<string>();
        const want: number[] = [];
        rows.forEach((r, i) => {
          const key = r.map((x) => (x === 0 ? 0 : x)).join(',');
          if (dropZero && r.every((x) => x === 0)) return;
          if (seen.has(key)) return;
          seen.add(key);
          want.push(i);
        });
        expect(Array.from(res.kept)).toEqual(want);
        expect(Array.from(res.data)).toEqual(want.flatMap((i) => rows[i]!).map((x) => (x === 0 ? 0 : x)));
        expect(res.n + res.duplicates + res.zeros).toBe(rows.length);
      }),
    );
  });

  it('treats -0 and 0 as the same value', () => {
    const res = dedupeRows(Float32Array.from([0, -0, 1, -0, 0, 1]), 3);
    expect(res.n).toBe(1);
    expect(res.duplicates).toBe(1);
  });
});
