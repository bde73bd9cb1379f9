import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeapArray, IdMap, Rng, TopK, VectorStore, VisitedSet, crc32, jsKernels, paddedStride } from '@annkit/core';

describe('TopK', () => {
  it('keeps exactly the k smallest (distance, label) pairs, sorted, ties by smaller label', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.nat(1000))), fc.integer({ min: 1, max: 30 }), (pairs, k) => {
        const top = new TopK(2);
        top.reset(k);
        for (const [d, l] of pairs) top.push(d / 4, l);
        const dists = new Float32Array(k);
        const labels = new Int32Array(k);
        const n = top.drainSorted(dists, labels);
        const expected = [...pairs].map(([d, l]) => [d / 4, l] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k);
        expect(n).toBe(expected.length);
        expect(Array.from(dists.subarray(0, n))).toEqual(expected.map((e) => e[0]));
        expect(Array.from(labels.subarray(0, n))).toEqual(expected.map((e) => e[1]));
        expect(top.size).toBe(0);
      }),
    );
  });

  it('threshold is Infinity until full, then the worst kept distance', () => {
    const top = new TopK();
    top.reset(2);
    expect(top.threshold).toBe(Infinity);
    top.push(3, 1);
    expect(top.threshold).toBe(Infinity);
    top.push(1, 2);
    expect(top.threshold).toBe(3);
    expect(top.push(5, 3)).toBe(false);
    expect(top.push(2, 4)).toBe(true);
    expect(top.threshold).toBe(2);
  });
});

describe('VisitedSet', () => {
  it('reports each slot once per traversal and forgets between traversals', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(200), { maxLength: 50 }), { maxLength: 8 }), (rounds) => {
        const v = new VisitedSet(4);
        for (const round of rounds) {
          v.reset(201);
          const seen = new Set<number>();
          for (const s of round) {
            expect(v.visit(s)).toBe(!seen.has(s));
            seen.add(s);
            expect(v.has(s)).toBe(true);
          }
        }
      }),
    );
  });
});

describe('VectorStore', () => {
  it('append / write / swapRemove agree with an array model, padding stays zero', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), v: fc.float({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('write' as const), at: fc.nat(), v: fc.float({ noNaN: true, noDefaultInfinity: true }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(op, { maxLength: 120 }), (dim, ops) => {
        const store = new VectorStore(dim, null, 1);
        const model: number[][] = [];
        for (const o of ops) {
          if (o.kind === 'append') {
            const row = Array.from({ length: dim }, (_, i) => Math.fround(o.v + i));
            expect(store.append(Float32Array.from(row))).toBe(model.length);
            model.push(row);
          } else if (model.length > 0 && o.kind === 'remove') {
            const slot = o.at % model.length;
            const moved = store.swapRemove(slot);
            const last = model.length - 1;
            expect(moved).toBe(slot === last ? -1 : last);
            model[slot] = model[last]!;
            model.pop();
          } else if (model.length > 0 && o.kind === 'write') {
            const slot = o.at % model.length;
            const row = Array.from({ length: dim }, () => Math.fround(o.v));
            store.write(slot, Float32Array.from(row));
            model[slot] = row;
          }
        }
        expect(store.size).toBe(model.length);
        const data = store.data;
        model.forEach((row, s) => {
          expect(Array.from(store.read(s, new Float32Array(dim)))).toEqual(row);
          for (let p = dim; p < store.stride; p++) expect(data[s * store.stride + p]).toBe(0);
        });
        expect(Array.from(store.exportPacked())).toEqual(model.flat());
      }),
    );
  });

  it('pads the stride to a multiple of 4', () => {
    for (let d = 1; d < 20; d++) {
      expect(paddedStride(d) % 4).toBe(0);
      expect(paddedStride(d) - d).toBeLessThan(4);
      expect(paddedStride(d)).toBeGreaterThanOrEqual(d);
    }
  });
});

describe('HeapArray without a heap', () => {
  it('resizes keeping the prefix and zeroing the rest', () => {
    const a = new HeapArray(Float32Array, null, 3);
    a.view.set([1, 2, 3]);
    a.resize(5);
    expect(Array.from(a.view)).toEqual([1, 2, 3, 0, 0]);
    a.resize(2);
    expect(Array.from(a.view)).toEqual([1, 2]);
  });
});

describe('IdMap', () => {
  it('maps ids to slots both ways through set/move/delete', () => {
    const m = new IdMap(1);
    m.set(10, 0);
    m.set(20, 1);
    m.set(30, 2);
    m.delete(10);
    m.move(2, 0);
    expect(m.slotOf(30)).toBe(0);
    expect(m.idOf(0)).toBe(30);
    expect(m.slotOf(10)).toBe(-1);
    expect(m.size).toBe(2);
  });

  it('fromDense rejects duplicate or invalid ids as corrupt data', () => {
    expect(() => IdMap.fromDense(Float64Array.of(1, 1))).toThrow(/twice/);
    expect(() => IdMap.fromDense(Float64Array.of(-1))).toThrow(/non-negative/);
    expect(() => IdMap.fromDense(Float64Array.of(0.5))).toThrow(/non-negative/);
    expect(IdMap.fromDense(Float64Array.of(5, 7)).slotOf(7)).toBe(1);
  });
});

describe('Rng', () => {
  it('is deterministic per seed and restores from its state', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 50 }), (seed, skip) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let i = 0; i < skip; i++) a.nextU32();
        for (let i = 0; i < skip; i++) b.nextU32();
        const c = new Rng(12345);
        c.setState(a.getState());
        const xs = Array.from({ length: 10 }, () => a.nextU32());
        expect(Array.from({ length: 10 }, () => b.nextU32())).toEqual(xs);
        expect(Array.from({ length: 10 }, () => c.nextU32())).toEqual(xs);
      }),
    );
  });

  it('int(n) stays in range and is roughly uniform; sample() gives distinct values', () => {
    const r = new Rng(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 600 }), fc.nat(), (n, count, seed) => {
        const s = new Rng(seed).sample(n, count);
        expect(s.length).toBe(Math.min(n, count));
        expect(new Set(s).size).toBe(s.length);
        for (const x of s) expect(x >= 0 && x < n).toBe(true);
      }),
    );
  });

  it('gaussian has mean ≈ 0 and variance ≈ 1', () => {
    const r = new Rng(3);
    let s = 0;
    let s2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const g = r.gaussian();
      s += g;
      s2 += g * g;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });
});

describe('crc32', () => {
  it('matches the standard check value and composes incrementally', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (data, cut) => {
        const at = data.length === 0 ? 0 : cut % data.length;
        expect(crc32(data.subarray(at), crc32(data.subarray(0, at)))).toBe(crc32(data));
        expect(crc32(data)).toBe(bitwiseCrc(data));
      }),
    );
  });
});

function bitwiseCrc(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('TS kernels', () => {
  const vec = (n: number) => fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  it('pair, many and gather agree with float64 formulas for any dim and offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((dim) => fc.record({ dim: fc.constant(dim), q: vec(dim + 3), rows: vec(dim * 5 + 7), off: fc.integer({ min: 0, max: 3 }) })),
        ({ dim, q, rows, off }) => {
          const l2 = (a: Float32Array, ao: number, b: Float32Array, bo: number) => {
            let s = 0;
            for (let i = 0; i < dim; i++) s += (a[ao + i]! - b[bo + i]!) ** 2;
            return s;
          };
          const dot = (a: Float32Array, ao: number, b: Float32Array, bo: number) => {
            let s = 0;
            for (let i = 0; i < dim; i++) s += a[ao + i]! * b[bo + i]!;
            return s;
          };
          const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(b)));
          close(jsKernels.l2(q, off, rows, 1, dim), l2(q, off, rows, 1));
          close(jsKernels.dot(q, off, rows, 2, dim), dot(q, off, rows, 2));
          const out = new Float32Array(5);
          jsKernels.l2Many(q, off, rows, 1, dim, 5, dim, out);
          for (let i = 0; i < 5; i++) close(out[i]!, l2(q, off, rows, 1 + i * dim));
          jsKernels.dotMany(q, off, rows, 1, dim, 5, dim, out);
          for (let i = 0; i < 5; i++) close(out[i]!, dot(q, off, rows, 1 + i * dim));
          const slots = Int32Array.of(4, 0, 2);
          jsKernels.l2Gather(q, off, rows, dim, slots, 3, dim, out);
          slots.forEach((s, i) => close(out[i]!, l2(q, off, rows, s * dim)));
          jsKernels.dotGather(q, off, rows, dim, slots, 3, dim, out);
          slots.forEach((s, i) => close(out[i]!, dot(q, off, rows, s * dim)));
        },
      ),
    );
  });
});
