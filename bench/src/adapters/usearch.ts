import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOptional } from './optional.js';
import type { BenchAdapter, BuiltIndex } from './types.js';

interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array };
  save(path: string): void;
  load(path: string): void;
}
interface UsearchModule {
  Index: new (config: Record<string, unknown>) => UsearchIndex;
}

export interface UsearchParams {
  m?: number;
  efConstruction?: number;
  efSearch?: number[];
}

/**
 * USearch (native C++ HNSW with SIMD), one thread. Its expansion_search is fixed at construction, so
 * each grid point reloads the saved index with a new value (untimed).
 */
export function usearchAdapter(params: UsearchParams = {}): BenchAdapter {
  const m = params.m ?? 16;
  const efConstruction = params.efConstruction ?? 200;
  const efs = params.efSearch ?? [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
  return {
    library: 'usearch',
    label: `HNSW${m},efC${efConstruction}`,
    backend: 'native',
    searchGrid: efs.map((efSearch) => ({ efSearch })),
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, onProgress }): BuiltIndex {
      const lib = requireOptional<UsearchModule>('usearch');
      const config = (ef: number) => ({ metric: metric === 'l2' ? 'l2sq' : metric === 'ip' ? 'ip' : 'cos', dimensions: dim, connectivity: m, expansion_add: efConstruction, expansion_search: ef });
      let index = new lib.Index(config(64));
      const chunk = 4096;
      for (let start = 0; start < n; start += chunk) {
        const end = Math.min(n, start + chunk);
        const keys = new BigUint64Array(end - start);
        for (let i = start; i < end; i++) keys[i - start] = BigInt(i);
        index.add(keys, base.subarray(start * dim, end * dim), 1);
        onProgress?.({ phase: 'build', done: end, total: n });
      }
      const dir = mkdtempSync(join(tmpdir(), 'annkit-usearch-'));
      const file = join(dir, 'index.usearch');
      index.save(file);
      const bytes = statSync(file).size;
      return {
        setSearchParams(p) {
          index = new lib.Index(config(p.efSearch ?? 64));
          index.load(file);
        },
        search: (q, k) => Array.from(index.search(q as Float32Array, k, 1).keys, Number),
        memoryBytes: () => bytes,
        serializedBytes: () => bytes,
        free: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}
