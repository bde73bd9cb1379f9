import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlatIndex } from '@annkit/flat';
import { registerAdapter, runJob } from '@annkit/bench';
import { loadInput } from '../src/inputs.js';
import { paretoFrontier, qpsAtRecall } from '../src/report.js';
import type { ResultRow } from '../src/job.js';
import { clusteredRows, texmexFolder } from './helpers.js';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

describe('bench CLI end to end (child process per build)', () => {
  it('writes JSON, a Markdown table and an SVG plot, and records failing indexes without stopping', () => {
    const data = texmexFolder(1500, 40, 12);
    const out = mkdtempSync(join(tmpdir(), 'annkit-bench-out-'));
    const run = spawnSync(
      process.execPath,
      [cli, '--dataset', data, '--queries', '40', '--index', 'flat', '--index', 'no-such-index', '--index', 'selftest-crash', '--index', 'hnswlib:efSearch=10/40', '--index', 'hnswlib-wasm', '--index', 'faiss:Flat', '--out', out, '--kernels', 'js'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'))!;
    const svg = files.find((f) => f.endsWith('.svg'))!;
    expect(files.some((f) => f.endsWith('.md'))).toBe(true);
    const report = JSON.parse(readFileSync(join(out, json), 'utf8')) as { rows: ResultRow[]; skipped: { index: string }[]; environment: { loadAverage: number[] }; dataset: { n: number } };
    expect(report.dataset.n).toBe(1500);
    expect(report.environment.loadAverage).toHaveLength(3);
    const flat = report.rows.find((r) => r.library === 'annkit-flat')!;
    expect(flat.recall).toBe(1);
    expect(flat.qps).toBeGreaterThan(0);
    expect(flat.bytesPerVector).toBe(12 * 4 + 8);
    expect(flat.backend).toBe('js');
    expect(flat.peakRssBytes).toBeGreaterThan(0);
    const errors = report.rows.filter((r) => r.error);
    expect(errors.map((r) => r.spec).sort()).toEqual(['no-such-index', 'selftest-crash']);
    expect(errors.find((r) => r.spec === 'selftest-crash')!.error).toMatch(/exited/);
    expect(report.skipped.map((s) => s.index)).toEqual(['hnswlib-wasm']);
    // FAISS runs and times its queries in Python; the harness still computes its recall from the ids.
    const faiss = report.rows.find((r) => r.library === 'faiss')!;
    expect(faiss.recall).toBe(1);
    expect(faiss.qps).toBeGreaterThan(0);
    const hnswlib = report.rows.filter((r) => r.library === 'hnswlib-node');
    expect(hnswlib).toHaveLength(2);
    const svgText = readFileSync(join(out, svg), 'utf8');
    expect(svgText.startsWith('<svg')).toBe(true);
    expect(svgText).toContain('annkit-flat Flat');
    expect(svgText).toContain('<circle');
    expect(run.stdout).toContain('| annkit-flat Flat |');
  });
});

describe('recall computed by the harness', () => {
  it('equals an independent computation from the ground-truth file', async () => {
    const dim = 8;
    const dir = mkdtempSync(join(tmpdir(), 'annkit-bench-gt-'));
    const base = clusteredRows(600, dim, 5);
    const queries = clusteredRows(30, dim, 6);
    const { encodeFvecs, encodeIvecs, computeGroundTruth } = await import('@annkit/datasets');
    writeFileSync(join(dir, 'x_base.fvecs'), encodeFvecs(base, dim));
    writeFileSync(join(dir, 'x_query.fvecs'), encodeFvecs(queries, dim));
    writeFileSync(join(dir, 'x_groundtruth.ivecs'), encodeIvecs(computeGroundTruth(base, queries, dim, 'l2', 20), 20));

    // An adapter that returns the exact answer with some ranks replaced by far-away ids: recall < 1, known results.
    const returned: number[][] = [];
    registerAdapter('degraded', () => ({
      library: 'test',
      label: 'degraded',
      searchGrid: [{}],
      metrics: ['l2'],
      build: ({ dim: d, metric, base: rows, n, kernels }) => {
        const flat = new FlatIndex({ dim: d, metric, kernels });
        flat.addBatch(Float64Array.from({ length: n }, (_, i) => i), rows);
        let call = 0;
        return {
          setSearchParams() {},
          search: (q, k) => {
            const ids = Array.from(flat.search(q as Float32Array, k).ids);
            for (let j = 0; j < call % 4; j++) ids[k - 1 - j] = n - 1 - j;
            call++;
            if (returned.length < 30) returned.push(ids);
            return ids;
          },
          memoryBytes: () => 0,
        };
      },
    }));
    const data = await loadInput(dir);
    const [row] = await runJob({ dataset: dir, index: 'degraded', k: 10, kernels: 'js', warmup: 0 }, data);
    // Independent: parse the ivecs by hand and intersect.
    const bytes = readFileSync(join(dir, 'x_groundtruth.ivecs'));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let sum = 0;
    for (let q = 0; q < 30; q++) {
      const off = q * (4 + 20 * 4);
      const truth = new Set<number>();
      for (let j = 0; j < 10; j++) truth.add(view.getInt32(off + 4 + j * 4, true));
      sum += returned[q]!.filter((id) => truth.has(id)).length / 10;
    }
    expect(row!.recall).toBeCloseTo(sum / 30, 12);
    expect(row!.recall).toBeLessThan(1);
    expect(existsSync(join(dir, 'x_groundtruth.ivecs'))).toBe(true);
  });
});

describe('dataset inputs', () => {
  it('reads ann-benchmarks HDF5 (train/test/neighbors/distance)', async () => {
    const h5 = (await import('h5wasm/node')).default;
    await h5.ready;
    const path = join(mkdtempSync(join(tmpdir(), 'annkit-h5-')), 'tiny-angular.hdf5');
    const dim = 6;
    const base = clusteredRows(200, dim, 3);
    const test = clusteredRows(10, dim, 4);
    const { computeGroundTruth } = await import('@annkit/datasets');
    const gt = computeGroundTruth(base, test, dim, 'cosine', 10);
    const f = new h5.File(path, 'w');
    f.create_dataset({ name: 'train', data: base, shape: [200, dim] });
    f.create_dataset({ name: 'test', data: test, shape: [10, dim] });
    f.create_dataset({ name: 'neighbors', data: gt, shape: [10, 10] });
    f.create_attribute('distance', 'angular');
    f.close();
    const data = await loadInput(path);
    expect(data).toMatchObject({ name: 'tiny-angular', metric: 'cosine', dim, nBase: 200, nQueries: 10, gtK: 10 });
    expect(Array.from(data.groundTruth)).toEqual(Array.from(gt));
    const cut = await loadInput(path, { maxBase: 50 });
    expect(cut.nBase).toBe(50);
    expect(Math.max(...cut.groundTruth)).toBeLessThan(50);
  });

  it('reads big-ann .fbin/.u8bin with .ibin ground truth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annkit-fbin-'));
    const dim = 4;
    const header = (n: number, d: number) => new Uint8Array(new Uint32Array([n, d]).buffer);
    const base = Float32Array.from({ length: 50 * dim }, (_, i) => (i * 7) % 13);
    const query = Uint8Array.from({ length: 5 * dim }, (_, i) => (i * 3) % 11);
    writeFileSync(join(dir, 'base.fbin'), Buffer.concat([header(50, dim), new Uint8Array(base.buffer)]));
    writeFileSync(join(dir, 'query.u8bin'), Buffer.concat([header(5, dim), query]));
    const data = await loadInput(dir, { metric: 'l2' });
    expect(data).toMatchObject({ nBase: 50, nQueries: 5, dim, metric: 'l2' });
    expect(Array.from(data.base.subarray(0, 8))).toEqual(Array.from(base.subarray(0, 8)));
    expect(Array.from(data.queries.subarray(0, 4))).toEqual([0, 3, 6, 9]);
    // No ground truth file: computed exactly; the nearest of the first query is a true nearest.
    const flat = new FlatIndex({ dim, metric: 'l2' });
    flat.addBatch(Float64Array.from({ length: 50 }, (_, i) => i), data.base);
    const best = flat.search(data.queries.subarray(0, dim), 1);
    const gtFirst = data.groundTruth[0]!;
    expect(flat.getVector(gtFirst).reduce((s, v, j) => s + (v - data.queries[j]!) ** 2, 0)).toBe(best.distances[0]);
  });
});

describe('report', () => {
  const row = (recall: number, qps: number): ResultRow =>
    ({ library: 'x', label: 'y', spec: 'x', searchParams: {}, dataset: 'd', n: 1, nq: 1, k: 10, recall, qps, p50Ms: 0, p95Ms: 0, p99Ms: 0, buildSeconds: 0, memoryBytes: 0, bytesPerVector: 0, backend: 'js' }) as ResultRow;
  it('marks the Pareto frontier and finds QPS at a recall level', () => {
    const rows = [row(0.8, 1000), row(0.9, 500), row(0.85, 400), row(0.99, 100)];
    expect([...paretoFrontier(rows)].map((r) => r.recall).sort()).toEqual([0.8, 0.9, 0.99]);
    expect(qpsAtRecall(rows, 0.9)).toBe(500);
    expect(qpsAtRecall(rows, 0.95)).toBe(100);
    expect(Number.isNaN(qpsAtRecall(rows, 0.999))).toBe(true);
  });
});
