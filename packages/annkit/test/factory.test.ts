import { describe as group, expect, it } from 'vitest';
import { AnnkitError, FlatIndex, createIndex, describe, init, initSync, load, parseSpec, currentKernels } from 'annkit';
import type { TrainableIndex, VectorIndex } from 'annkit';
import { randomRows } from '@annkit/testkit';

const dim = 32;
const n = 4096;
const data = randomRows(n, dim, 11, 1);
const ids = Float64Array.from({ length: n }, (_, i) => i * 2 + 1);
const queries = randomRows(20, dim, 12, 1);

function build(spec: string): VectorIndex {
  const index = createIndex(spec, { dim, metric: 'l2', seed: 3 });
  const trainable = index as Partial<TrainableIndex>;
  if (typeof trainable.train === 'function' && trainable.isTrained === false) trainable.train(data);
  index.addBatch(ids, data);
  return index;
}

function recallVsFlat(index: VectorIndex, opts: object): number {
  const flat = new FlatIndex({ dim, metric: 'l2' });
  flat.addBatch(ids, data);
  let hits = 0;
  for (let q = 0; q < 20; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const truth = new Set(flat.search(query, 10).ids);
    for (const id of index.search(query, 10, opts).ids) if (truth.has(id)) hits++;
  }
  return hits / 200;
}

group('createIndex: every documented factory spec builds, searches and round-trips', () => {
  const cases: [spec: string, canonical: string, opts: object, floor: number][] = [
    ['Flat', 'Flat', {}, 1],
    ['SQ8', 'SQ8', {}, 0.8],
    ['PQ16x8', 'PQ16', {}, 0.3],
    ['IVF1024,Flat', 'IVF1024,Flat', { nprobe: 1024 }, 1],
    ['IVF1024,SQ8', 'IVF1024,SQ8', { nprobe: 64 }, 0.6],
    ['IVF1024,PQ16,Rerank', 'IVF1024,PQ16,Rerank', { nprobe: 64, rerank: 8 }, 0.6],
    ['HNSW32', 'HNSW32', { efSearch: 128 }, 0.9],
    ['HNSW32,SQ8', 'HNSW32,SQ8', { efSearch: 128 }, 0.8],
    ['HNSW16,SQ8,Rerank', 'HNSW16,SQ8,Rerank', { efSearch: 128, rerank: 4 }, 0.9],
    ['Annoy50', 'Annoy50', { searchK: 4000 }, 0.8],
    // Forms this round added: HNSW over fp16 and PQ storage, a chosen default re-rank factor, any case.
    ['HNSW16,SQfp16', 'HNSW16,SQfp16', { efSearch: 128 }, 0.9],
    ['HNSW16,PQ8,Rerank', 'HNSW16,PQ8,Rerank', { efSearch: 128 }, 0.9],
    ['sq8,rerank4', 'SQ8,Rerank4', {}, 0.95],
    ['IVF64,PQ8x4,Rerank20', 'IVF64,PQ8x4,Rerank20', { nprobe: 16 }, 0.8],
  ];
  for (const [spec, canonical, opts, floor] of cases) {
    it(spec, () => {
      const index = build(spec);
      expect(index.size).toBe(n);
      expect(describe(index)).toBe(canonical);
      expect(parseSpec(describe(index))).toEqual(parseSpec(spec));
      expect(recallVsFlat(index, opts)).toBeGreaterThanOrEqual(floor);
      const bytes = index.serialize();
      const loaded = load(bytes);
      expect(loaded.constructor).toBe(index.constructor);
      expect(describe(loaded)).toBe(canonical);
      const q = queries.subarray(0, dim);
      expect(Array.from(loaded.search(q, 10, opts).ids)).toEqual(Array.from(index.search(q, 10, opts).ids));
      expect(loaded.serialize()).toEqual(bytes);
    });
  }
});

group('bad specs name the bad token and the accepted forms', () => {
  const bad: [spec: string, token: string][] = [
    ['Flatt', 'Flatt'],
    ['IVF', 'IVF'],
    ['IVF0,Flat', 'IVF0'],
    ['IVF64', 'IVF64'],
    ['IVF64,Bogus', 'Bogus'],
    ['IVF64,Flat,Rerank', 'Rerank'],
    ['PQ8x3', 'PQ8x3'],
    ['HNSW', 'HNSW'],
    ['HNSW16,Flat,Extra', 'Extra'],
    ['HNSW16,SQ4', 'SQ4'],
    ['SQ8,Rerank0', 'Rerank0'],
    ['Flat,Rerank', 'Rerank'],
    ['Annoy10,Rerank', 'Rerank'],
    ['HNSW16,Rerank', 'Rerank'],
    ['Annoy10,SQ8', 'SQ8'],
    ['', ''],
  ];
  for (const [spec, token] of bad) {
    it(JSON.stringify(spec), () => {
      let error: unknown;
      try {
        createIndex(spec, { dim, metric: 'l2' });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AnnkitError);
      expect((error as AnnkitError).code).toBe('INVALID_ARGUMENT');
      expect((error as AnnkitError).message).toContain(`"${token}"`);
      expect((error as AnnkitError).message).toContain('Accepted forms');
    });
  }

  it('a spec that parses but does not fit the data gives the family error', () => {
    expect(() => createIndex('PQ5', { dim, metric: 'l2' })).toThrow(/divide/);
  });
});

group('load() and init()', () => {
  it('load rejects bytes that are not an index, by their header', () => {
    expect(() => load(new Uint8Array([1, 2, 3]))).toThrow(AnnkitError);
    const bytes = build('Flat').serialize();
    bytes[4] = 0x5a;
    expect(() => load(bytes)).toThrow(/Corrupt/);
    expect(() => load('ANNK' as never)).toThrow(/Uint8Array, Buffer or ArrayBuffer/);
  });

  it('load takes the bytes as users hold them: Uint8Array, Node Buffer, ArrayBuffer (also at an odd offset)', () => {
    for (const spec of ['Flat', 'IVF64,SQ8', 'HNSW16']) {
      const index = build(spec);
      const bytes = index.serialize();
      const q = queries.subarray(0, dim);
      const want = Array.from(index.search(q, 10).ids);
      const odd = new Uint8Array(bytes.length + 1);
      odd.set(bytes, 1);
      const forms: [string, Uint8Array | ArrayBuffer][] = [
        ['Uint8Array', bytes],
        ['Buffer', Buffer.from(bytes)],
        ['ArrayBuffer', bytes.slice().buffer],
        ['misaligned Uint8Array', odd.subarray(1)],
      ];
      for (const [form, input] of forms) {
        const loaded = load(input);
        expect(describe(loaded), `${spec} from ${form}`).toBe(describe(index));
        expect(Array.from(loaded.search(q, 10).ids), `${spec} from ${form}`).toEqual(want);
      }
    }
  });

  it('without init() indexes already run the WASM SIMD kernels; kernels: "js" still forces TypeScript', () => {
    expect(currentKernels().backend).toBe('wasm-simd128');
    expect(createIndex('Flat', { dim, metric: 'l2' }).backend).toBe('wasm-simd128');
    expect(load(build('Flat').serialize()).backend).toBe('wasm-simd128');
    expect(createIndex('HNSW16', { dim, metric: 'l2', kernels: 'js' }).backend).toBe('js');
    expect(load(build('Flat').serialize(), { kernels: 'js' }).backend).toBe('js');
  });

  it('init() is a no-op-compatible helper: it resolves the same kernels, and { backend: "js" } makes TypeScript the default', async () => {
    const before = currentKernels();
    const kernels = await init();
    expect(kernels).toBe(before);
    expect(currentKernels()).toBe(kernels);
    const index = createIndex('Flat', { dim, metric: 'cosine' }) as FlatIndex;
    expect(index.backend).toBe('wasm-simd128');
    expect(kernels.backend).toBe('wasm-simd128');
    try {
      expect(initSync({ backend: 'js' }).backend).toBe('js');
      expect(createIndex('HNSW16', { dim, metric: 'l2' }).backend).toBe('js');
      expect(load(build('Flat').serialize()).backend).toBe('js');
    } finally {
      initSync();
    }
  });
});

group('createIndex options', () => {
  it('an option the factory string decides is refused (at run time too, for JavaScript callers)', () => {
    const loose: string = 'IVF64,SQ8';
    expect(() => createIndex(loose, { dim, metric: 'l2', nlist: 32 })).toThrow(/"nlist" is set by the factory string/);
    expect(() => createIndex(loose, { dim, metric: 'l2', keepVectors: true })).toThrow(/"keepVectors" is set by the factory string/);
    expect(() => createIndex(loose, { dim, metric: 'l2', nprobe: undefined })).not.toThrow();
  });

  it('other options reach the constructor', () => {
    const index = createIndex('HNSW8', { dim, metric: 'l2', efConstruction: 33, seed: 5 });
    expect(index.efConstruction).toBe(33);
    expect(index.m).toBe(8);
  });

  it('bad options objects are INVALID_ARGUMENT, checked after the spec', () => {
    expect(() => createIndex('Flat', null as never)).toThrow(/options object/);
    expect(() => createIndex('Flatt', null as never)).toThrow(/"Flatt"/);
    expect(() => createIndex(42 as unknown as string, { dim, metric: 'l2' })).toThrow(/spec is a string/);
  });
});
