import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importOptional, normalizedCopy, requireOptional, resolveOptional } from './optional.js';
import type { BenchAdapter, BuiltIndex } from './types.js';

interface HnswJs {
  addPoint(id: number, vector: Float32Array): Promise<void>;
  buildIndex(data: { id: number; vector: Float32Array }[], opts?: { onProgress?: (c: number, t: number) => void }): Promise<void>;
  searchKNN(q: Float32Array, k: number, opts?: { efSearch?: number }): { id: number }[];
}

/** The `hnsw` npm package: a pure TypeScript HNSW with node objects (l2 or cosine). */
export function hnswJsAdapter(params: { m?: number; efConstruction?: number; efSearch?: number[] } = {}): BenchAdapter {
  const m = params.m ?? 16;
  const efConstruction = params.efConstruction ?? 200;
  const efs = params.efSearch ?? [10, 24, 48, 96, 192, 384];
  return {
    library: 'hnsw (npm)',
    label: `HNSW${m},efC${efConstruction}`,
    backend: 'js',
    searchGrid: efs.map((efSearch) => ({ efSearch })),
    metrics: ['l2', 'cosine'],
    async build({ dim, metric, base, n, onProgress }): Promise<BuiltIndex> {
      const { HNSW } = requireOptional<{ HNSW: new (m: number, efc: number, d: number, metric: string, efs: number) => HnswJs }>('hnsw');
      const index = new HNSW(m, efConstruction, dim, metric === 'l2' ? 'euclidean' : 'cosine', 64);
      const data = Array.from({ length: n }, (_, i) => ({ id: i, vector: base.subarray(i * dim, (i + 1) * dim) }));
      await index.buildIndex(data, { onProgress: (c, t) => onProgress?.({ phase: 'build', done: c, total: t }) });
      let ef = 64;
      return {
        setSearchParams: (p) => void (ef = p.efSearch ?? 64),
        search: (q, k) => index.searchKNN(q as Float32Array, k, { efSearch: ef }).map((r) => r.id),
        memoryBytes: () => NaN,
      };
    },
  };
}

interface OramaModule {
  create(opts: { schema: Record<string, string> }): unknown;
  insertMultiple(db: unknown, docs: object[], batchSize?: number): Promise<string[]> | string[];
  search(db: unknown, params: object): Promise<{ hits: { id: string }[] }> | { hits: { id: string }[] };
}

/** Orama's vector search (exact cosine scan over its document store). */
export function oramaAdapter(): BenchAdapter {
  return {
    library: '@orama/orama',
    label: 'vector search',
    backend: 'js',
    searchGrid: [{}],
    metrics: ['cosine'],
    async build({ dim, base, n, onProgress }): Promise<BuiltIndex> {
      const orama = await importOptional<OramaModule>('@orama/orama');
      const db = orama.create({ schema: { key: 'number', embedding: `vector[${dim}]` } });
      const batch = 2000;
      for (let start = 0; start < n; start += batch) {
        const docs = [];
        for (let i = start; i < Math.min(n, start + batch); i++) docs.push({ id: String(i), key: i, embedding: Array.from(base.subarray(i * dim, (i + 1) * dim)) });
        await orama.insertMultiple(db, docs, batch);
        onProgress?.({ phase: 'add', done: Math.min(n, start + batch), total: n });
      }
      return {
        setSearchParams() {},
        prepareQueries: (qs) => qs.map((q) => Array.from(q)),
        // Orama's search is synchronous for in-memory vector search; a Promise result would be a bug here.
        search: (q, k) => {
          const result = orama.search(db, { mode: 'vector', vector: { value: q, property: 'embedding' }, similarity: -1, limit: k, includeVectors: false });
          if (result instanceof Promise) throw new Error('orama returned a Promise; the harness times synchronous searches');
          return result.hits.map((h) => Number(h.id));
        },
        memoryBytes: () => NaN,
      };
    },
  };
}

interface VoyBindings {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  Voy: new (resource: { embeddings: { id: string; title: string; url: string; embeddings: number[] }[] }) => { search(q: Float32Array, k: number): { neighbors: { id: string }[] } };
}

/** voy-search (Rust → WASM k-d tree, Euclidean). Cosine data is normalised first so rankings agree. */
export function voyAdapter(): BenchAdapter {
  return {
    library: 'voy-search',
    label: 'k-d tree',
    backend: 'wasm',
    searchGrid: [{}],
    metrics: ['l2', 'cosine'],
    async build({ dim, metric, base, n, onProgress }): Promise<BuiltIndex> {
      // Its package targets bundlers (it imports the .wasm as a module), so instantiate it by hand.
      const dir = dirname(resolveOptional('voy-search'));
      const bindings = (await import(join(dir, 'voy_search_bg.js'))) as VoyBindings;
      const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, 'voy_search_bg.wasm')), { './voy_search_bg.js': bindings as never });
      bindings.__wbg_set_wasm(instance.exports);
      const rows = metric === 'cosine' ? normalizedCopy(base, n, dim) : base;
      const embeddings = Array.from({ length: n }, (_, i) => ({ id: String(i), title: '', url: '', embeddings: Array.from(rows.subarray(i * dim, (i + 1) * dim)) }));
      const voy = new bindings.Voy({ embeddings });
      onProgress?.({ phase: 'build', done: n, total: n });
      return {
        setSearchParams() {},
        prepareQueries: (qs) => (metric === 'cosine' ? qs.map((q) => normalizedCopy(q, 1, dim)) : qs),
        search: (q, k) => voy.search(q as Float32Array, k).neighbors.map((h) => Number(h.id)),
        memoryBytes: () => NaN,
      };
    },
  };
}
