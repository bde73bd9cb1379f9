import { describe, expect, it } from 'vitest';
import { AnnkitError } from '@annkit/core';
import type { SearchResult, VectorIndex } from '@annkit/core';
import { randomRows } from './arbitraries.js';
import { bytesEqual, smallIndex } from './helpers.js';
import type { IndexLawSpec } from './spec.js';

/** Every call a callback might make on its own index that would change it or reuse its search scratch. */
function forbiddenCalls(index: VectorIndex, fresh: Float32Array, opts: object): [string, () => unknown][] {
  const calls: [string, () => unknown][] = [
    ['remove', () => index.remove(1)],
    ['removeBatch', () => index.removeBatch([2])],
    ['add', () => index.add(1000, fresh)],
    ['addBatch', () => index.addBatch([1001], fresh)],
    ['upsert', () => index.upsert(3, fresh)],
    ['upsertBatch', () => index.upsertBatch([4], fresh)],
    ['search', () => index.search(fresh, 3, opts)],
    ['searchBatch', () => index.searchBatch(fresh, 3, opts)],
    ['serialize', () => index.serialize()],
    ['free', () => index.free()],
    ['dispose', () => index[Symbol.dispose]()],
  ];
  const extra = index as unknown as Record<string, unknown>;
  if (typeof extra['train'] === 'function') calls.push(['train', () => (extra['train'] as (s: Float32Array) => void).call(index, randomRows(64, index.dim, 5, 1))]);
  for (const name of ['build', 'rebuild', 'compact']) {
    if (typeof extra[name] === 'function') calls.push([name, () => (extra[name] as () => void).call(index)]);
  }
  return calls;
}

/**
 * Runs every forbidden call from inside a callback and records how each ended; checks that the reads
 * that stay allowed (has, getVector, size, ids) still answer there.
 */
class Meddler {
  readonly outcomes = new Map<string, string>();

  constructor(
    private readonly index: VectorIndex,
    private readonly fresh: Float32Array,
    private readonly opts: object,
  ) {}

  meddle(): void {
    for (const [name, call] of forbiddenCalls(this.index, this.fresh, this.opts)) {
      if (this.outcomes.has(name)) continue;
      try {
        call();
        this.outcomes.set(name, 'returned');
      } catch (err) {
        this.outcomes.set(name, err instanceof AnnkitError ? err.code : `untyped ${String(err)}`);
      }
    }
    if (!this.index.has(5) || this.index.getVector(5).length !== this.index.dim || this.index.size !== 6 || [...this.index.ids()].length !== 6) {
      this.outcomes.set('reads', 'a read inside the callback gave a wrong answer');
    }
  }

  /** Throws unless every forbidden call was tried and each was INVALID_STATE. */
  expectAllRejected(context: string): void {
    expect(this.outcomes.size, `${context}: the callback never ran`).toBeGreaterThan(0);
    for (const [name, outcome] of this.outcomes) expect(outcome, `${context}: ${name}() inside the callback`).toBe('INVALID_STATE');
  }
}

function sameResult(a: SearchResult, b: SearchResult): boolean {
  return a.ids.length === b.ids.length && a.ids.every((id, i) => id === b.ids[i]) && a.distances.every((d, i) => Object.is(d, b.distances[i]));
}

/**
 * Issue 12 item 7: a filter or onProgress callback that changes the index it is called from must not
 * corrupt the scan or batch in progress. Registered by describeIndexLaws, so every family runs it.
 */
export function describeReentrancyLaws<I extends VectorIndex>(spec: IndexLawSpec<I>): void {
  const metric = spec.metrics?.[0] ?? 'l2';
  const opts = spec.searchOptions ?? {};

  describe('re-entrancy: callbacks cannot change their own index', () => {
    it('issue 12 item 7: a filter that calls remove/add/upsert/train/free/search on its index gets INVALID_STATE and the search is unaffected', () => {
      const { index } = smallIndex(spec, metric);
      const twin = spec.deserialize(index.serialize());
      const before = index.serialize();
      const q = randomRows(1, index.dim, 21, 1);
      const fresh = randomRows(1, index.dim, 22, 1);
      const meddler = new Meddler(index, fresh, opts);
      const result = index.search(q, 6, {
        ...opts,
        filter: () => {
          meddler.meddle();
          return true;
        },
      });
      meddler.expectAllRejected('search filter');
      const expected = twin.search(q, 6, { ...opts, filter: () => true });
      expect(new Set(result.ids).size, 'duplicate ids in the result').toBe(result.ids.length);
      expect(sameResult(result, expected), 'the meddled search differs from the same search without meddling').toBe(true);
      expect(index.size).toBe(6);
      expect(bytesEqual(index.serialize(), before), 'the index changed').toBe(true);

      const batch = new Meddler(index, fresh, opts);
      const results = index.searchBatch(randomRows(2, index.dim, 23, 1), 6, { ...opts, filter: () => (batch.meddle(), true) });
      batch.expectAllRejected('searchBatch filter');
      expect(results.length).toBe(2);
      expect(bytesEqual(index.serialize(), before), 'the index changed').toBe(true);
    });

    it('issue 12 item 7: an onProgress that changes the index during addBatch/upsertBatch gets INVALID_STATE and the batch lands whole', () => {
      for (const batchCall of ['addBatch', 'upsertBatch'] as const) {
        const { index } = smallIndex(spec, metric);
        const twin = spec.deserialize(index.serialize());
        const n = 40;
        const ids = Array.from({ length: n }, (_, i) => 100 + i);
        const rows = randomRows(n, index.dim, 31, 1);
        const fresh = randomRows(1, index.dim, 32, 1);
        const meddler = new Meddler(index, fresh, opts);
        let calls = 0;
        // Meddle once, at the first report: the allowed-read check assumes the six original rows.
        index[batchCall](ids, rows, { onProgress: () => (calls++ === 0 ? meddler.meddle() : undefined) });
        meddler.expectAllRejected(`${batchCall} onProgress`);
        twin[batchCall](ids, rows);
        expect(index.size).toBe(6 + n);
        expect(bytesEqual(index.serialize(), twin.serialize()), `${batchCall}: the meddled batch differs from the same batch without meddling`).toBe(true);
      }
    });
  });
}
