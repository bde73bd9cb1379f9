import { describe, expect, it } from 'vitest';
import { families, registerFamily } from 'annkit';
import { createAdapter, knownAdapters, runJob } from '@annkit/bench';
import { loadInput } from '../src/inputs.js';
import { reverseScanFamily } from '../../packages/annkit/test/reverse-scan-family.js';
import { texmexFolder } from './helpers.js';

// The harness builds every annkit index through the family registry: the presets keep their names, labels
// and grids; any factory string runs as "annkit:…"; a family registered at run time runs by its kind.
describe('bench: annkit families come from the registry', () => {
  it('the presets keep their library names, labels and grids', () => {
    const cases: [spec: string, library: string, label: string, grid: Record<string, number>[]][] = [
      ['flat', 'annkit-flat', 'Flat', [{}]],
      ['hnsw:m=8,efSearch=16/32', 'annkit-hnsw', 'HNSW8,efC200', [{ efSearch: 16 }, { efSearch: 32 }]],
      ['ivf:nlist=8,pqM=4,nprobe=2,rerank=0/10', 'annkit-ivf', 'IVF8,PQ4,raw', [{ nprobe: 2, rerank: 0 }, { nprobe: 2, rerank: 10 }]],
      ['ivf:sqBits=16,nprobe=4', 'annkit-ivf', 'IVFx,FP16', [{ nprobe: 4, rerank: 0 }]],
      ['sq:bits=16', 'annkit-sq', 'FP16', [{ rerank: 0 }]],
      ['pq:m=4,nbits=4,rerank=0/4', 'annkit-pq', 'PQ4x4,raw', [{ rerank: 0 }, { rerank: 4 }]],
      ['annoy:nTrees=3,searchK=50', 'annkit-annoy', 'Annoy3', [{ searchK: 50 }]],
    ];
    for (const [spec, library, label, grid] of cases) expect(createAdapter(spec), spec).toMatchObject({ library, label, searchGrid: grid });
  });

  it('"annkit:<factory string>" runs any family: search options form the grid, the rest goes to the constructor', async () => {
    const adapter = createAdapter('annkit:IVF16_SQ8_Rerank,nprobe=2/16,rerank=0/10,niter=3,trainSize=400');
    expect(adapter).toMatchObject({ library: 'annkit-ivf', label: 'IVF16,SQ8,Rerank' });
    expect(adapter.searchGrid).toEqual([
      { nprobe: 2, rerank: 0 },
      { nprobe: 2, rerank: 10 },
      { nprobe: 16, rerank: 0 },
      { nprobe: 16, rerank: 10 },
    ]);
    expect(createAdapter('annkit:HNSW8').searchGrid).toEqual([{ efSearch: 64 }]);
    expect(() => createAdapter('annkit:HNSW8,efConstruction=10/20')).toThrow(/efConstruction is not a search option of hnsw/);
    expect(() => createAdapter('annkit:HNSW8_PQ3x3')).toThrow(/"PQ3x3"/);
    const dir = texmexFolder(800, 20, 8);
    const data = await loadInput(dir);
    const rows = await runJob({ dataset: dir, index: 'annkit:IVF16_SQ8_Rerank,nprobe=16,rerank=0/10,niter=3', k: 10, kernels: 'auto', warmup: 0 }, data);
    expect(rows.map((r) => r.searchParams)).toEqual([
      { nprobe: 16, rerank: 0 },
      { nprobe: 16, rerank: 10 },
    ]);
    expect(rows[1]!.recall).toBe(1);
    expect(rows[1]!.backend).toBe('wasm-simd128');
  });

  it('a family registered at run time is benchmarked by its kind, with no change to the harness', async () => {
    expect(knownAdapters()).not.toContain('reverse-scan');
    const unregister = registerFamily(reverseScanFamily);
    try {
      expect(knownAdapters()).toContain('reverse-scan');
      expect(knownAdapters().at(-1)).toContain('Reverse');
      const dir = texmexFolder(500, 15, 6);
      const data = await loadInput(dir);
      const [row] = await runJob({ dataset: dir, index: 'reverse-scan', k: 10, kernels: 'js', warmup: 0 }, data);
      expect(row).toMatchObject({ library: 'annkit-reverse-scan', label: 'Reverse', recall: 1 });
      expect(families().map((f) => f.kind)).toContain('reverse-scan');
    } finally {
      unregister();
    }
  });
});
