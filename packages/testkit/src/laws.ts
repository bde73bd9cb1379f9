import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnkitError, crc32 as crc32Of, decodeJson, encodeJson, readAnnk, writeAnnk } from '@annkit/core';
import type { AnnkitErrorCode, Metric, SearchResult, VectorIndex } from '@annkit/core';
import { datasetArb, randomRows } from './arbitraries.js';
import type { Dataset } from './arbitraries.js';
import { checkExact, checkResultInvariants, metricsOf, recallVsModel } from './compare.js';
import { describeContractLaws } from './contract-laws.js';
import { describeInputLaws } from './input-laws.js';
import { describeReentrancyLaws } from './reentrancy-laws.js';
import { describeCraftedFileLaws } from './crafted-file-laws.js';
import { readAnyAnnk, rewriteAnnk } from './annk-edit.js';
import { buildFrom, bytesEqual, concat, expectCode, smallIndex } from './helpers.js';
import { runModelCommands } from './commands.js';
import type { IndexLawSpec } from './spec.js';

export { buildFrom, bytesEqual, expectCode } from './helpers.js';

/** Throws with a readable message when `check` returned a violation. */
function assertOk(violation: string | null, context: string): void {
  if (violation !== null) throw new Error(`${context}: ${violation}`);
}

/** Registers the shared law suite (DESIGN.md "Tests") for one index family. */
export function describeIndexLaws<I extends VectorIndex>(spec: IndexLawSpec<I>): void {
  const numRuns = spec.numRuns ?? 60;
  const metrics = metricsOf(spec.metrics);
  const arb = (extra: { minSize?: number; maxSize?: number } = {}) => datasetArb({ maxDim: spec.maxDim ?? 12, metrics, ...extra });
  const opts = spec.searchOptions ?? {};
  const search = (index: I, q: Float32Array, k: number, more: object = {}): SearchResult => index.search(q, k, { ...opts, ...more });

  describe(`${spec.name}: index laws`, () => {
    it('results are sorted, unique, live, ≤ k, with recomputable distances (exact: equal brute force)', () => {
      let recallSum = 0;
      let recallCount = 0;
      fc.assert(
        fc.property(arb(), fc.integer({ min: 1, max: 70 }), (data, k) => {
          const { index, model } = buildFrom(spec, data);
          expect(index.size).toBe(data.ids.length);
          for (const q of data.queries) {
            const result = search(index, q, k);
            if (spec.exact) assertOk(checkExact(result, model, q, k), `k=${k}`);
            else {
              assertOk(checkResultInvariants(result, model, q, k), `k=${k}`);
              recallSum += recallVsModel(result, model, q, k);
              recallCount++;
            }
          }
        }),
        { numRuns },
      );
      if (!spec.exact) expect(recallSum / Math.max(1, recallCount)).toBeGreaterThanOrEqual(spec.recallFloor ?? 0.9);
    });

    it('k larger than the index returns what exists, without padding', () => {
      fc.assert(
        fc.property(arb({ minSize: 0, maxSize: 12 }), (data) => {
          const { index } = buildFrom(spec, data);
          const result = search(index, data.queries[0]!, data.ids.length + 5);
          if (spec.exact) expect(result.ids.length).toBe(data.ids.length);
          else expect(result.ids.length).toBeLessThanOrEqual(data.ids.length);
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });

    it('filters (predicate and Set) only return allowed ids; exact families equal filtered brute force', () => {
      fc.assert(
        fc.property(arb({ minSize: 1 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 3 }), (data, k, modulus) => {
          const { index, model } = buildFrom(spec, data);
          const allowed = new Set(data.ids.filter((id) => id % (modulus + 2) === 0));
          const predicate = (id: number) => allowed.has(id);
          for (const filter of [predicate, allowed]) {
            for (const q of data.queries) {
              const result = search(index, q, k, { filter });
              assertOk(spec.exact ? checkExact(result, model, q, k, predicate) : checkResultInvariants(result, model, q, k, predicate), 'filtered');
            }
          }
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });

    it('removed ids are never returned and upserted vectors are found at their new place', () => {
      fc.assert(
        fc.property(arb({ minSize: 2 }), fc.integer({ min: 1, max: 15 }), fc.nat(), (data, k, pick) => {
          const { index, model } = buildFrom(spec, data);
          const removed = data.ids.filter((_, i) => (i + pick) % 3 === 0);
          for (const id of removed) {
            expect(index.remove(id)).toBe(true);
            expect(index.remove(id)).toBe(false);
            expect(index.has(id)).toBe(false);
            model.delete(id);
          }
          expect(index.size).toBe(model.size);
          for (const q of data.queries) {
            const result = search(index, q, k);
            assertOk(spec.exact ? checkExact(result, model, q, k) : checkResultInvariants(result, model, q, k), 'after remove');
          }
          // Move one live id onto the first query's position: it must now be the nearest (exact families).
          const live = [...model.vectors.keys()];
          if (live.length > 0 && spec.exact) {
            const id = live[pick % live.length]!;
            const q = data.queries[0]!;
            index.upsert(id, q);
            model.set(id, q);
            assertOk(checkExact(search(index, q, k), model, q, k), 'after upsert');
          }
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });

    it('getVector returns the stored vector (normalised under cosine) and UNKNOWN_ID for absent ids', () => {
      fc.assert(
        fc.property(arb({ minSize: 1, maxSize: 20 }), (data) => {
          const { index } = buildFrom(spec, data);
          data.ids.forEach((id, i) => {
            const raw = data.vectors.subarray(i * data.dim, (i + 1) * data.dim);
            const got = index.getVector(id);
            expect(got.length).toBe(data.dim);
            if (spec.lossless === false) return;
            const norm = data.metric === 'cosine' ? Math.hypot(...raw) : 1;
            for (let j = 0; j < data.dim; j++) expect(Math.abs(got[j]! - raw[j]! / norm)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(raw[j]!)));
          });
          expectCode(() => index.getVector(2_000_000), 'UNKNOWN_ID');
        }),
        { numRuns: Math.ceil(numRuns / 3) },
      );
    });

    it('serialize → deserialize gives equal results and byte-identical re-serialisation', () => {
      fc.assert(
        fc.property(arb(), fc.integer({ min: 1, max: 20 }), (data, k) => {
          const { index } = buildFrom(spec, data);
          const bytes = index.serialize();
          const loaded = spec.deserialize(bytes);
          expect(loaded.size).toBe(index.size);
          expect(loaded.dim).toBe(index.dim);
          expect(loaded.metric).toBe(index.metric);
          for (const q of data.queries) {
            const a = search(index, q, k);
            const b = search(loaded, q, k);
            expect(Array.from(b.ids)).toEqual(Array.from(a.ids));
            expect(Array.from(b.distances)).toEqual(Array.from(a.distances));
          }
          expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });

    it('same seed and same operations give identical bytes', () => {
      fc.assert(
        fc.property(arb(), fc.integer({ min: 0, max: 1000 }), (data, seed) => {
          const a = buildFrom(spec, data, seed).index.serialize();
          const b = buildFrom(spec, data, seed).index.serialize();
          expect(bytesEqual(a, b)).toBe(true);
        }),
        { numRuns: Math.ceil(numRuns / 3) },
      );
    });

    describe('bad input gives its typed error and leaves the index unchanged', () => {
      for (const metric of metrics) {
        it(`metric ${metric}`, () => {
          const { index, dim, ok } = smallIndex(spec, metric);
          const before = index.serialize();
          const withValue = (v: number) => {
            const x = Float32Array.from(ok);
            x[2] = v;
            return x;
          };
          const cases: [string, () => unknown, AnnkitErrorCode][] = [
            ['add: wrong dimension', () => index.add(100, new Float32Array(dim + 1)), 'DIMENSION_MISMATCH'],
            ['add: NaN', () => index.add(100, withValue(NaN)), 'INVALID_VECTOR'],
            ['add: +Infinity', () => index.add(100, withValue(Infinity)), 'INVALID_VECTOR'],
            ['add: -Infinity', () => index.add(100, withValue(-Infinity)), 'INVALID_VECTOR'],
            // A number[] is a vector too (see the contract laws); anything else is not.
            ['add: not a vector', () => index.add(100, '1,2,3,4,5' as unknown as Float32Array), 'INVALID_ARGUMENT'],
            ['add: an object, not a vector', () => index.add(100, { length: dim } as unknown as Float32Array), 'INVALID_ARGUMENT'],
            ['add: negative id', () => index.add(-1, ok), 'INVALID_ARGUMENT'],
            ['add: non-integer id', () => index.add(1.5, ok), 'INVALID_ARGUMENT'],
            ['add: NaN id', () => index.add(NaN, ok), 'INVALID_ARGUMENT'],
            ['add: unsafe id', () => index.add(2 ** 53, ok), 'INVALID_ARGUMENT'],
            ['add: duplicate id', () => index.add(3, ok), 'DUPLICATE_ID'],
            ['upsert: wrong dimension', () => index.upsert(3, new Float32Array(dim - 1)), 'DIMENSION_MISMATCH'],
            ['upsert: NaN', () => index.upsert(3, withValue(NaN)), 'INVALID_VECTOR'],
            ['remove: negative id', () => index.remove(-3), 'INVALID_ARGUMENT'],
            ['getVector: unknown id', () => index.getVector(77), 'UNKNOWN_ID'],
            ['addBatch: bad row in the middle', () => index.addBatch([10, 11, 12], concat(ok, withValue(NaN), ok)), 'INVALID_VECTOR'],
            ['addBatch: duplicate id in the batch', () => index.addBatch([10, 10], concat(ok, ok)), 'DUPLICATE_ID'],
            ['addBatch: id already present', () => index.addBatch([10, 2], concat(ok, ok)), 'DUPLICATE_ID'],
            ['addBatch: length mismatch', () => index.addBatch([10, 11], ok), 'DIMENSION_MISMATCH'],
            ['search: k = 0', () => index.search(ok, 0, opts), 'INVALID_ARGUMENT'],
            ['search: k < 0', () => index.search(ok, -2, opts), 'INVALID_ARGUMENT'],
            ['search: non-integer k', () => index.search(ok, 2.5, opts), 'INVALID_ARGUMENT'],
            ['search: wrong dimension', () => index.search(new Float32Array(dim + 2), 3, opts), 'DIMENSION_MISMATCH'],
            ['search: NaN query', () => index.search(withValue(NaN), 3, opts), 'INVALID_VECTOR'],
            ['search: bad filter', () => index.search(ok, 3, { ...opts, filter: 42 as never }), 'INVALID_ARGUMENT'],
            ['searchBatch: ragged batch', () => index.searchBatch(new Float32Array(dim * 2 + 1), 3, opts), 'DIMENSION_MISMATCH'],
            ['addBatch: aborted', () => index.addBatch([20, 21], concat(ok, ok), { signal: AbortSignal.abort() }), 'ABORTED'],
          ];
          if (metric === 'cosine') {
            cases.push(['add: zero vector under cosine', () => index.add(100, new Float32Array(dim)), 'INVALID_VECTOR']);
            cases.push(['search: zero query under cosine', () => index.search(new Float32Array(dim), 3, opts), 'INVALID_VECTOR']);
          }
          for (const [name, fn, code] of cases) {
            try {
              expectCode(fn, code);
            } catch (err) {
              throw new Error(`${name}: ${(err as Error).message}`);
            }
            expect(bytesEqual(index.serialize(), before), `${name} changed the index`).toBe(true);
          }
          expect(index.size).toBe(6);
        });
      }
    });

    it('addBatch reports progress up to done = total and an abort mid-way rolls the batch back', () => {
      const dim = 4;
      const metric = metrics[0]!;
      const n = 500;
      const data: Dataset = { dim, metric, ids: [], vectors: new Float32Array(0), queries: [] };
      const { index } = buildFrom(spec, data);
      const before = index.serialize();
      const ids = Array.from({ length: n }, (_, i) => i);
      const controller = new AbortController();
      const seen: number[] = [];
      expectCode(
        () =>
          index.addBatch(ids, randomRows(n, dim, 5, 1), {
            signal: controller.signal,
            onProgress: (e) => {
              seen.push(e.done);
              if (e.done >= n / 2) controller.abort();
            },
          }),
        'ABORTED',
      );
      expect(bytesEqual(index.serialize(), before)).toBe(true);
      expect(index.size).toBe(0);
      const events: number[] = [];
      index.addBatch(ids, randomRows(n, dim, 5, 1), { onProgress: (e) => events.push(e.done) });
      expect(events[events.length - 1]).toBe(n);
      expect(events.every((d, i) => i === 0 || d >= events[i - 1]!)).toBe(true);
      expect(index.size).toBe(n);
    });

    describe('serialised bytes are validated before use', () => {
      const sample = () => {
        const dim = 6;
        const data: Dataset = { dim, metric: metrics[0]!, ids: Array.from({ length: 30 }, (_, i) => i * 3), vectors: randomRows(30, dim, 11, 3), queries: [] };
        return buildFrom(spec, data).index.serialize();
      };

      it('truncation at any point is CORRUPT_DATA', () => {
        const bytes = sample();
        fc.assert(
          fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => expectCode(() => spec.deserialize(bytes.slice(0, cut)), 'CORRUPT_DATA')),
          { numRuns: 200 },
        );
      });

      it('any flipped bit is CORRUPT_DATA', () => {
        const bytes = sample();
        fc.assert(
          fc.property(fc.array(fc.record({ at: fc.integer({ min: 0, max: bytes.length - 1 }), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 4 }), (flips) => {
            const copy = bytes.slice();
            for (const { at, bit } of flips) copy[at]! ^= 1 << bit;
            if (bytesEqual(copy, bytes)) return;
            expectCode(() => spec.deserialize(copy), 'CORRUPT_DATA');
          }),
          { numRuns: 300 },
        );
      });

      it('random bytes, and trailing garbage, are CORRUPT_DATA', () => {
        fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => expectCode(() => spec.deserialize(junk), 'CORRUPT_DATA')), { numRuns: 100 });
        const bytes = sample();
        const longer = new Uint8Array(bytes.length + 16);
        longer.set(bytes);
        expectCode(() => spec.deserialize(longer), 'CORRUPT_DATA');
      });

      it('a newer major version is UNSUPPORTED_VERSION', () => {
        const bytes = sample().slice();
        const view = new DataView(bytes.buffer);
        view.setUint16(8, view.getUint16(8, true) + 1, true);
        resealHeader(bytes);
        expectCode(() => spec.deserialize(bytes), 'UNSUPPORTED_VERSION');
      });

      it('parameters tampered to huge values (with valid checksums) fail cleanly, without a giant allocation', () => {
        const bytes = sample();
        const params = decodeJson(readAnyAnnk(bytes).sections.get('PARM'), 'PARM');
        for (const key of Object.keys(params)) {
          if (typeof params[key] !== 'number') continue;
          for (const value of [2 ** 31 - 1, 2 ** 40, -1]) {
            const tampered = rewriteAnnk(bytes, {}, (tag, data) => (tag === 'PARM' ? encodeJson({ ...params, [key]: value }) : data));
            try {
              spec.deserialize(tampered);
            } catch (err) {
              if (!(err instanceof AnnkitError)) throw new Error(`PARM.${key} = ${value}: ${String(err)}`);
              expect(['CORRUPT_DATA', 'UNSUPPORTED_FEATURE']).toContain(err.code);
            }
          }
        }
      });
    });

    it('random add/remove/upsert/search/serialise-reload sequences agree with the brute-force model', () => {
      runModelCommands(spec, numRuns);
    });

    describeContractLaws(spec);
    describeInputLaws(spec);
    describeReentrancyLaws(spec);
    describeCraftedFileLaws(spec);
  });
}

/** Recomputes the header checksum after a deliberate edit (to test version handling). */
export function resealHeader(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(28, crc32Of(bytes.subarray(0, 28)), true);
}
