import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '@annkit/core';
import { AnnoyIndex } from '@annkit/annoy';
import { bytesEqual, expectCode, randomRows } from '@annkit/testkit';
import { addRows, duplicateHeavyRows, expectExactWithFullBudget, makePair } from './helpers.js';

type Op =
  | { kind: 'add'; id: number; v: number[] }
  | { kind: 'remove'; id: number }
  | { kind: 'upsert'; id: number; v: number[] }
  | { kind: 'batch'; ids: number[]; v: number[] }
  | { kind: 'reload' }
  | { kind: 'check' };

const MAX_DIM = 6;
const values = (n: number) => fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n });
const id = fc.integer({ min: 0, max: 30 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), id, v: values(MAX_DIM) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), id }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('upsert' as const), id, v: values(MAX_DIM) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('batch' as const), ids: fc.uniqueArray(fc.integer({ min: 31, max: 60 }), { maxLength: 8 }), v: values(8 * MAX_DIM) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'check' as const }) },
);

/** A row of `dim` values from generated integers (never zero, so cosine accepts it). */
function row(v: number[], offset: number, dim: number): Float32Array {
  const out = Float32Array.from(v.slice(offset, offset + dim));
  if (out.every((x) => x === 0)) out[0] = 1;
  return out;
}

describe('AnnoyIndex: changes after build', () => {
  it('random add/remove/upsert/batch/reload sequences keep every tree complete (full-budget search = brute force)', () => {
    const setup = fc.record({
      dim: fc.integer({ min: 1, max: MAX_DIM }),
      metric: fc.constantFrom<Metric>('l2', 'ip', 'cosine'),
      seed: fc.nat(1000),
      bucketSize: fc.integer({ min: 1, max: 6 }),
      nTrees: fc.integer({ min: 1, max: 4 }),
      initial: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(setup, fc.array(op, { maxLength: 60 }), ({ dim, metric, seed, bucketSize, nTrees, initial }, ops) => {
        const p = makePair(dim, metric, { seed, bucketSize, nTrees });
        addRows(p, Array.from({ length: initial }, (_, i) => 100 + i), randomRows(initial, dim, seed + 1, 2));
        p.index.build();
        expect(p.index.isBuilt).toBe(true);
        const queries = randomRows(3, dim, seed + 2, 2);
        for (const o of ops) {
          if (o.kind === 'add') {
            if (p.model.vectors.has(o.id)) continue;
            p.index.add(o.id, row(o.v, 0, dim));
            p.model.set(o.id, row(o.v, 0, dim));
          } else if (o.kind === 'remove') {
            expect(p.index.remove(o.id)).toBe(p.model.delete(o.id));
          } else if (o.kind === 'upsert') {
            p.index.upsert(o.id, row(o.v, 0, dim));
            p.model.set(o.id, row(o.v, 0, dim));
          } else if (o.kind === 'batch') {
            const fresh = o.ids.filter((x) => !p.model.vectors.has(x));
            const rows = new Float32Array(fresh.length * dim);
            fresh.forEach((_, i) => rows.set(row(o.v, i * dim, dim), i * dim));
            addRows(p, fresh, rows);
          } else if (o.kind === 'reload') {
            // deserialize() validates the whole forest: every tree holds each slot once, no stray records.
            p.index = AnnoyIndex.deserialize(p.index.serialize());
          } else {
            expectExactWithFullBudget(p, queries, 5);
          }
          expect(p.index.size).toBe(p.model.size);
        }
        expectExactWithFullBudget(p, queries, 7);
        AnnoyIndex.deserialize(p.index.serialize());
      }),
      { numRuns: 120 },
    );
  });

  it('leaves of identical rows grow chains, split once rows differ, and empty out cleanly', () => {
    for (const metric of ['l2', 'ip', 'cosine'] as const) {
      const dim = 3;
      const p = makePair(dim, metric, { bucketSize: 4, nTrees: 3, seed: 7 });
      const same = Float32Array.of(1, 2, 3);
      addRows(p, [0, 1], randomRows(2, dim, 3, 1));
      p.index.build();
      for (let i = 10; i < 60; i++) {
        p.index.add(i, same);
        p.model.set(i, same);
      }
      const queries = randomRows(4, dim, 9, 3);
      expectExactWithFullBudget(p, queries, 10);
      AnnoyIndex.deserialize(p.index.serialize());
      // Different rows arriving later let the chained leaf split again.
      addRows(p, Array.from({ length: 40 }, (_, i) => 100 + i), duplicateHeavyRows(40, dim, 5));
      expectExactWithFullBudget(p, queries, 10);
      for (let i = 10; i < 60; i++) {
        expect(p.index.remove(i)).toBe(true);
        p.model.delete(i);
        if (i % 7 === 0) expectExactWithFullBudget(p, queries, 10);
      }
      expectExactWithFullBudget(p, queries, 10);
      AnnoyIndex.deserialize(p.index.serialize());
    }
  });

  it('an index emptied after build keeps its trees and accepts new rows', () => {
    const p = makePair(4, 'l2', { bucketSize: 2, nTrees: 2 });
    addRows(p, [1, 2, 3, 4, 5], randomRows(5, 4, 1, 1));
    p.index.build();
    for (const x of [1, 2, 3, 4, 5]) {
      p.index.remove(x);
      p.model.delete(x);
    }
    expect(p.index.search(new Float32Array(4), 3).ids.length).toBe(0);
    addRows(p, [7, 8, 9], randomRows(3, 4, 2, 1));
    expectExactWithFullBudget(p, randomRows(2, 4, 3, 1), 3);
    expect(AnnoyIndex.deserialize(p.index.serialize()).size).toBe(3);
  });

  it('ip: rows added after the build with 10× larger norms are found; rebuild() refits the lift radius', () => {
    const dim = 8;
    const p = makePair(dim, 'ip', { nTrees: 4, bucketSize: 8, seed: 3 });
    addRows(p, Array.from({ length: 200 }, (_, i) => i), randomRows(200, dim, 4, 1));
    p.index.build();
    addRows(p, Array.from({ length: 50 }, (_, i) => 1000 + i), randomRows(50, dim, 6, 10));
    expectExactWithFullBudget(p, randomRows(5, dim, 8, 1), 10);
    const queries = randomRows(20, dim, 11, 1);
    const recall = (searchK: number) => {
      let hits = 0;
      for (let i = 0; i < 20; i++) {
        const q = queries.subarray(i * dim, (i + 1) * dim);
        const truth = new Set(p.model.search(q, 10).map((h) => h.id));
        for (const x of p.index.search(q, 10, { searchK }).ids) if (truth.has(x)) hits++;
      }
      return hits / 200;
    };
    // Rows beyond the radius fixed at build time are routed by direction only: a larger budget finds them…
    expect(recall(120)).toBeGreaterThanOrEqual(0.85);
    // …and a rebuild lifts every row onto the new radius, so a small budget suffices again.
    p.index.rebuild();
    expect(recall(60)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('AnnoyIndex: rollback, laziness and determinism', () => {
  const dim = 6;
  const built = (metric: Metric = 'l2') => {
    const index = new AnnoyIndex({ dim, metric, nTrees: 3, bucketSize: 4, seed: 5 });
    index.addBatch(Array.from({ length: 80 }, (_, i) => i), randomRows(80, dim, 1, 1));
    index.build();
    return index;
  };

  it('an aborted addBatch on a built index restores the trees byte for byte', () => {
    for (const metric of ['l2', 'ip', 'cosine'] as const) {
      const index = built(metric);
      const before = index.serialize();
      const controller = new AbortController();
      const n = 400;
      const ids = Array.from({ length: n }, (_, i) => 1000 + i);
      const rows = randomRows(n, dim, 2, 1);
      expectCode(() => index.addBatch(ids, rows, { signal: controller.signal, onProgress: (e) => e.done >= n / 2 && controller.abort() }), 'ABORTED');
      expect(bytesEqual(index.serialize(), before)).toBe(true);
      // …and the same batch then gives what it gives without the failed attempt.
      index.addBatch(ids, rows);
      const fresh = built(metric);
      fresh.addBatch(ids, rows);
      expect(bytesEqual(index.serialize(), fresh.serialize())).toBe(true);
    }
  });

  it('a progress callback that throws mid-batch also rolls back', () => {
    const index = built();
    const before = index.serialize();
    expect(() =>
      index.addBatch([500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511], randomRows(12, dim, 3, 1), {
        onProgress: (e) => {
          if (e.done > 3) throw new Error('boom');
        },
      }),
    ).toThrow('boom');
    expect(bytesEqual(index.serialize(), before)).toBe(true);
  });

  it('build() reports progress in phase "build" and an abort leaves the index unbuilt and unchanged', () => {
    const make = () => {
      const index = new AnnoyIndex({ dim, metric: 'cosine', nTrees: 4, bucketSize: 4, seed: 9 });
      index.addBatch(Array.from({ length: 300 }, (_, i) => i), randomRows(300, dim, 4, 1));
      return index;
    };
    const index = make();
    const controller = new AbortController();
    expectCode(() => index.build({ signal: controller.signal, onProgress: (e) => e.done > 500 && controller.abort() }), 'ABORTED');
    expect(index.isBuilt).toBe(false);
    const events: { phase: string; done: number; total: number }[] = [];
    index.build({ onProgress: (e) => events.push(e) });
    expect(index.isBuilt).toBe(true);
    expect(events.every((e) => e.phase === 'build' && e.total === 4 * 300)).toBe(true);
    expect(events[events.length - 1]!.done).toBe(1200);
    expect(events.every((e, i) => i === 0 || e.done >= events[i - 1]!.done)).toBe(true);
    // The aborted attempt left no trace: same bytes as a build that never failed.
    const clean = make();
    clean.build();
    expect(bytesEqual(index.serialize(), clean.serialize())).toBe(true);
    // serialize() with an aborted signal fails before building anything.
    const pending = make();
    expectCode(() => pending.serialize({ signal: AbortSignal.abort() }), 'ABORTED');
    expect(pending.isBuilt).toBe(false);
  });

  it('the first search builds lazily; invalid searches build nothing; build() on an empty index is a no-op', () => {
    const index = new AnnoyIndex({ dim, metric: 'l2', nTrees: 2 });
    index.build();
    expect(index.isBuilt).toBe(false);
    expect(index.search(new Float32Array(dim), 3).ids.length).toBe(0);
    expect(index.isBuilt).toBe(false);
    index.addBatch([1, 2, 3], randomRows(3, dim, 1, 1));
    const q = randomRows(1, dim, 2, 1);
    expectCode(() => index.search(q, 0), 'INVALID_ARGUMENT');
    expectCode(() => index.search(q, 3, { searchK: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => index.search(q, 3, { searchK: 2.5 }), 'INVALID_ARGUMENT');
    expectCode(() => index.search(q, 3, { filter: 'x' as never }), 'INVALID_ARGUMENT');
    expectCode(() => index.search(new Float32Array(dim + 1), 3), 'DIMENSION_MISMATCH');
    expectCode(() => index.searchBatch(new Float32Array(dim * 2), 3, { searchK: -1 }), 'INVALID_ARGUMENT');
    expect(index.isBuilt).toBe(false);
    expect(index.search(q, 3).ids.length).toBe(3);
    expect(index.isBuilt).toBe(true);
  });

  it('serialize() of a pending index equals build() then serialize(), and both reload identically', () => {
    const make = () => {
      const index = new AnnoyIndex({ dim, metric: 'ip', nTrees: 3, bucketSize: 5, seed: 2 });
      index.addBatch(Array.from({ length: 60 }, (_, i) => i * 2), randomRows(60, dim, 8, 3));
      return index;
    };
    const lazy = make().serialize();
    const explicit = make();
    explicit.build();
    expect(bytesEqual(lazy, explicit.serialize())).toBe(true);
    const searched = make();
    searched.search(randomRows(1, dim, 1, 1), 4);
    expect(bytesEqual(lazy, searched.serialize())).toBe(true);
  });

  it('continuing after a reload gives the same bytes as never reloading (the RNG state is saved)', () => {
    const rows = randomRows(300, dim, 12, 1);
    const ids = Array.from({ length: 300 }, (_, i) => i);
    const run = (reload: boolean) => {
      let index = new AnnoyIndex({ dim, metric: 'cosine', nTrees: 3, bucketSize: 4, seed: 21 });
      index.addBatch(ids.slice(0, 100), rows.subarray(0, 100 * dim));
      index.build();
      if (reload) index = AnnoyIndex.deserialize(index.serialize());
      index.addBatch(ids.slice(100), rows.subarray(100 * dim));
      for (let i = 0; i < 300; i += 3) index.remove(i);
      for (let i = 1; i < 300; i += 9) index.upsert(i, rows.subarray(((i * 7) % 300) * dim, ((i * 7) % 300 + 1) * dim));
      return index.serialize();
    };
    expect(bytesEqual(run(true), run(false))).toBe(true);
  });

  it('deserialize reads the trees in place and copies them before the first change', () => {
    const index = built('cosine');
    const bytes = index.serialize();
    const original = bytes.slice();
    const loaded = AnnoyIndex.deserialize(bytes);
    loaded.addBatch(Array.from({ length: 50 }, (_, i) => 900 + i), randomRows(50, dim, 30, 1));
    loaded.remove(3);
    expect(bytesEqual(bytes, original)).toBe(true);
    // A copy on load, and bytes at an odd offset (no aligned views possible), work the same.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const other of [AnnoyIndex.deserialize(bytes, { copy: true }), AnnoyIndex.deserialize(shifted.subarray(1))]) {
      expect(bytesEqual(other.serialize(), bytes)).toBe(true);
      other.add(5000, randomRows(1, dim, 31, 1));
      expect(other.has(5000)).toBe(true);
    }
    expect(bytesEqual(bytes, original)).toBe(true);
  });

  it('a small allow-list is ranked exactly; predicates filter the candidates', () => {
    const index = built('l2');
    const q = randomRows(1, dim, 40, 1);
    const all = index.search(q, 80, { searchK: 80 });
    const allow = new Set([3, 17, 29, 44, 71]);
    const got = index.search(q, 3, { filter: allow });
    const expected = Array.from(all.ids).filter((x) => allow.has(x)).slice(0, 3);
    expect(Array.from(got.ids)).toEqual(expected);
    const even = index.search(q, 10, { filter: (x) => x % 2 === 0, searchK: 80 });
    expect(Array.from(even.ids)).toEqual(Array.from(all.ids).filter((x) => x % 2 === 0).slice(0, 10));
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    for (const bad of [{ nTrees: 0 }, { nTrees: 1.5 }, { bucketSize: 0 }, { seed: -1 }, { seed: 2 ** 32 }, { initialCapacity: 0 }]) {
      expectCode(() => new AnnoyIndex({ dim: 4, metric: 'l2', ...bad }), 'INVALID_ARGUMENT');
    }
    expectCode(() => new AnnoyIndex(null as never), 'INVALID_ARGUMENT');
    expectCode(() => new AnnoyIndex({ dim: 4, metric: 'hamming' as never }), 'INVALID_ARGUMENT');
  });

  it('memoryBytes counts rows, ids and tree records', () => {
    const index = new AnnoyIndex({ dim: 8, metric: 'l2', nTrees: 2 });
    index.addBatch([1, 2, 3], randomRows(3, 8, 1, 1));
    const pending = index.memoryBytes;
    expect(pending).toBe(3 * 8 * 4 + 3 * 8);
    index.build();
    expect(index.memoryBytes).toBeGreaterThan(pending);
  });

  it('rebuild() refits the trees from the current rows', () => {
    const index = built('ip');
    index.addBatch(Array.from({ length: 40 }, (_, i) => 700 + i), randomRows(40, dim, 50, 20));
    const before = index.serialize();
    index.rebuild();
    expect(bytesEqual(index.serialize(), before)).toBe(false);
    expect(index.size).toBe(120);
    const controller = new AbortController();
    const snapshot = index.serialize();
    expectCode(() => index.rebuild({ signal: controller.signal, onProgress: (e) => e.done > 10 && controller.abort() }), 'ABORTED');
    expect(bytesEqual(index.serialize(), snapshot)).toBe(true);
  });
});
