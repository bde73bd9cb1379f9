import { describe, expect, it } from 'vitest';
import { IvfIndex } from '@annkit/ivf';
import type { IvfCodecSpec, IvfIndexOptions } from '@annkit/ivf';
import { OwnedHeap, decodeJson, encodeJson, readAnnk, writeAnnk } from '@annkit/core';
import { loadKernelsSync } from '@annkit/wasm';
import type { WasmKernels } from '@annkit/wasm';
import { bytesEqual, expectCode, randomRows } from '@annkit/testkit';

const DIM = 8;
const N = 300;
const ids = Array.from({ length: N }, (_, i) => i * 3 + 1);
const rows = randomRows(N, DIM, 11, 2);
const training = randomRows(400, DIM, 12, 2);
const queries = Array.from({ length: 5 }, (_, i) => randomRows(1, DIM, 100 + i, 2));
const SECTIONS = { kind: 'IVF', major: 1, required: ['PARM'], known: ['PARM', 'IDS ', 'CENT', 'LSIZ', 'LSLT', 'LROW', 'CDST', 'RAWV'] };
const CODECS: IvfCodecSpec[] = ['flat', 'sq8', 'sq4', 'fp16', { type: 'pq', m: 4, niter: 3 }];

function built(options: Partial<IvfIndexOptions> = {}): IvfIndex {
  const index = new IvfIndex({ dim: DIM, metric: 'l2', nlist: 6, seed: 5, ...options });
  index.train(training);
  index.addBatch(ids, rows);
  return index;
}

function same(a: { ids: Float64Array; distances: Float32Array }, b: { ids: Float64Array; distances: Float32Array }): void {
  expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
  expect(Array.from(a.distances)).toEqual(Array.from(b.distances));
}

/** Rewrites the PARM section of a saved index. */
function withParams(bytes: Uint8Array, edit: (p: Record<string, unknown>) => void): Uint8Array {
  const file = readAnnk(bytes, SECTIONS);
  const params = decodeJson(file.sections.get('PARM'), 'PARM');
  edit(params);
  const sections = [...file.sections].map(([tag, data]) => ({ tag, data: tag === 'PARM' ? encodeJson(params) : data }));
  return writeAnnk({ kind: 'IVF', major: file.major, minor: file.minor, dim: file.dim, metric: file.metric }, sections);
}

describe('IvfIndex rerank option (default re-rank factor)', () => {
  it('searches without a rerank option re-rank by the default; an explicit factor (0 too) wins', () => {
    for (const metric of ['l2', 'ip', 'cosine'] as const) {
      for (const codec of ['sq8', { type: 'pq', m: 4, niter: 3 }] as const) {
        const byDefault = built({ metric, codec, keepVectors: true, rerank: 4 });
        const plain = built({ metric, codec, keepVectors: true });
        expect(byDefault.rerank).toBe(4);
        expect(plain.rerank).toBe(0);
        for (const q of queries) {
          same(byDefault.search(q, 5, { nprobe: 3 }), plain.search(q, 5, { nprobe: 3, rerank: 4 }));
          same(byDefault.search(q, 5, { nprobe: 3, rerank: 0 }), plain.search(q, 5, { nprobe: 3 }));
          same(byDefault.search(q, 5, { nprobe: 3, rerank: 2 }), plain.search(q, 5, { nprobe: 3, rerank: 2 }));
        }
        const batch = byDefault.searchBatch(Float32Array.from(queries.flatMap((q) => Array.from(q))), 5, { nprobe: 3 });
        queries.forEach((q, i) => same(batch[i]!, plain.search(q, 5, { nprobe: 3, rerank: 4 })));
      }
    }
  });

  it('re-ranked results carry exact distances to the raw vectors', () => {
    const index = built({ codec: { type: 'pq', m: 2, niter: 3 }, keepVectors: true, rerank: 10 });
    const q = queries[0]!;
    const r = index.search(q, 5, { nprobe: 6 });
    r.ids.forEach((id, i) => {
      const v = rows.subarray(ids.indexOf(id) * DIM, (ids.indexOf(id) + 1) * DIM);
      let d = 0;
      for (let j = 0; j < DIM; j++) d += (q[j]! - v[j]!) ** 2;
      expect(r.distances[i]).toBeCloseTo(d, 4);
    });
  });

  it('is persisted: a reloaded index re-ranks by the same default, and re-serialises byte for byte', () => {
    const index = built({ codec: 'sq4', keepVectors: true, rerank: 3 });
    const bytes = index.serialize();
    const copy = IvfIndex.deserialize(bytes);
    expect(copy.rerank).toBe(3);
    expect(copy.options.rerank).toBe(3);
    for (const q of queries) same(copy.search(q, 4, { nprobe: 2 }), index.search(q, 4, { nprobe: 2 }));
    expect(bytesEqual(copy.serialize(), bytes)).toBe(true);
  });

  it('is absent from the file when 0, so files without it read as 0', () => {
    const index = built({ codec: 'sq8', keepVectors: true });
    const params = decodeJson(readAnnk(index.serialize(), SECTIONS).sections.get('PARM'), 'PARM');
    expect('rerank' in params).toBe(false);
    expect(IvfIndex.deserialize(index.serialize()).rerank).toBe(0);
    const withFactor = decodeJson(readAnnk(built({ codec: 'sq8', keepVectors: true, rerank: 2 }).serialize(), SECTIONS).sections.get('PARM'), 'PARM');
    expect(withFactor.rerank).toBe(2);
  });

  it('is validated: a factor ≥ 1 or 0, with keepVectors; the flat codec ignores it (already exact)', () => {
    const base = { dim: DIM, metric: 'l2' as const, nlist: 4, codec: 'sq8' as const, keepVectors: true };
    for (const bad of [0.5, -1, NaN, Infinity, 2e6, '2', true]) expectCode(() => new IvfIndex({ ...base, rerank: bad as never }), 'INVALID_ARGUMENT');
    expectCode(() => new IvfIndex({ ...base, keepVectors: false, rerank: 2 }), 'INVALID_ARGUMENT');
    expect(new IvfIndex({ ...base, rerank: 1 }).rerank).toBe(1);
    expect(new IvfIndex({ ...base, rerank: 0 }).rerank).toBe(0);
    const flat = built({ rerank: 4 });
    expect(flat.rerank).toBe(0);
    for (const q of queries) same(flat.search(q, 5, { nprobe: 6 }), built().search(q, 5, { nprobe: 6 }));
  });

  it('a file with a bad default factor, or one without keepVectors, is CORRUPT_DATA', () => {
    const bytes = built({ codec: 'sq8', keepVectors: true, rerank: 2 }).serialize();
    for (const bad of [0.5, -3, 'x', true, 1e9]) expectCode(() => IvfIndex.deserialize(withParams(bytes, (p) => (p.rerank = bad))), 'CORRUPT_DATA');
    const noRaw = built({ codec: 'sq8' }).serialize();
    expectCode(() => IvfIndex.deserialize(withParams(noRaw, (p) => (p.rerank = 2))), 'CORRUPT_DATA');
    expect(IvfIndex.deserialize(withParams(bytes, (p) => (p.rerank = 0))).rerank).toBe(0);
  });
});

describe('IvfIndex lifetime, ids() and input forms', () => {
  const wasm = (): WasmKernels => loadKernelsSync({ backend: 'wasm' }) as WasmKernels;

  it('free() gives back every heap block — query, lists, codec tables, raw vectors — for every codec, built or loaded', () => {
    const kernels = wasm();
    for (const codec of CODECS) {
      for (const metric of ['l2', 'cosine'] as const) {
        const before = kernels.heap.stats.liveBlocks;
        const index = built({ metric, codec, keepVectors: codec !== 'flat', kernels });
        index.search(queries[0]!, 5, { nprobe: 3, rerank: codec === 'flat' ? 0 : 3 });
        const copy = IvfIndex.deserialize(index.serialize(), { kernels });
        copy.search(queries[1]!, 5, { nprobe: 3 });
        index.free();
        copy.free();
        expect(kernels.heap.stats.liveBlocks, `${JSON.stringify(codec)} ${metric}`).toBe(before);
      }
    }
  });

  it('retraining an emptied index returns the old lists, codec and tables (no blocks pile up)', () => {
    for (const codec of CODECS) {
      const index = built({ codec, kernels: wasm() });
      const owned = index.kernels.heap as OwnedHeap;
      for (const id of ids) index.remove(id);
      index.train(training);
      const afterOne = owned.liveBlocks;
      for (let i = 0; i < 3; i++) index.train(training);
      expect(owned.liveBlocks, JSON.stringify(codec)).toBe(afterOne);
      index.free();
    }
  });

  it('after free() the IVF-only members throw INVALID_STATE too; freeing twice is harmless', () => {
    const index = built({ codec: 'sq8', keepVectors: true });
    index.free();
    expectCode(() => index.train(training), 'INVALID_STATE');
    expectCode(() => index.memoryBytes, 'INVALID_STATE');
    expectCode(() => index.search(queries[0]!, 3, { nprobe: 2, rerank: 2 }), 'INVALID_STATE');
    expectCode(() => [...index.ids()], 'INVALID_STATE');
    expect(index.isFreed).toBe(true);
    index.free();
  });

  it('ids() lists the stored ids after adds, removes, upserts and a reload', () => {
    for (const codec of CODECS) {
      const index = built({ codec });
      const expected = new Set(ids);
      for (let i = 0; i < N; i += 4) {
        index.remove(ids[i]!);
        expected.delete(ids[i]!);
      }
      index.upsert(ids[1]!, queries[0]!);
      index.upsert(5000, queries[1]!);
      expected.add(5000);
      const listed = [...index.ids()];
      expect(listed.length).toBe(index.size);
      expect(new Set(listed)).toEqual(expected);
      expect(new Set(IvfIndex.deserialize(index.serialize()).ids())).toEqual(expected);
    }
  });

  it('add, upsert and search take number[] vectors with the same results as Float32Array', () => {
    for (const codec of CODECS) {
      for (const metric of ['l2', 'ip', 'cosine'] as const) {
        const a = built({ metric, codec });
        const b = built({ metric, codec });
        const v = randomRows(1, DIM, 7, 2);
        a.add(9999, v);
        b.add(9999, Array.from(v));
        a.upsert(ids[0]!, queries[2]!);
        b.upsert(ids[0]!, Array.from(queries[2]!));
        expect(bytesEqual(a.serialize(), b.serialize())).toBe(true);
        for (const q of queries) same(b.search(Array.from(q), 5, { nprobe: 3 }), a.search(q, 5, { nprobe: 3 }));
        expectCode(() => b.add(10_000, [1, 2, 'x' as never, 4, 5, 6, 7, 8]), 'INVALID_VECTOR');
        expectCode(() => b.search([1, 2, 3], 5), 'DIMENSION_MISMATCH');
      }
    }
  });

  it('deserialize takes a Node Buffer (pooled, at any offset) and an ArrayBuffer', () => {
    for (const codec of CODECS) {
      const index = built({ codec, keepVectors: codec !== 'flat' });
      const bytes = index.serialize();
      // Buffer.from of a small array lands in Node's shared pool, at an arbitrary offset.
      for (const form of [Buffer.from(bytes), Buffer.concat([Buffer.alloc(5), Buffer.from(bytes)]).subarray(5), bytes.slice().buffer]) {
        const copy = IvfIndex.deserialize(form);
        expect(bytesEqual(copy.serialize(), bytes)).toBe(true);
        for (const q of queries) same(copy.search(q, 5, { nprobe: 3 }), index.search(q, 5, { nprobe: 3 }));
      }
    }
  });
});
