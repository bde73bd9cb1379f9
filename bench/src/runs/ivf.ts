#!/usr/bin/env node
/*
 * Issue 4 benchmark: annkit's IVF-Flat, IVF-SQ8 and IVF-PQ against native FAISS ("IVFx,Flat", "IVFx,SQ8",
 * "IVFx,PQy" from its index factory, python3-faiss) on the same data, training rows and ground truth, one
 * thread, queries one at a time. Prints recall@10 / QPS over nprobe (and the rerank factor for PQ), QPS at
 * recall 0.90 and 0.95 (log-interpolated between grid points), bytes per vector and the ratios to FAISS;
 * then the flat-scan quantized indexes (SqIndex SQ8, PqIndex) over the rerank factor.
 *
 *   bench/scripts/setup-faiss.sh            # optional peer (Debian python3-faiss); skipped when absent
 *   npx tsc -b tsconfig.build.json && node bench/dist/runs/ivf.js
 *   node bench/dist/runs/ivf.js --max-base 50000 --queries 500 --only flat,sq8
 *
 * Options: --dataset NAME (default glove6b-100-angular), --max-base N, --queries N (default 1000),
 * --nlist N (default round(4·√n)), --train N (training rows, default min(n, 64·nlist)), --pq-train N
 * (IVF-PQ training rows, default 20000: 2-dim sub-quantizers train slowly, in FAISS most of all), --nprobe LIST,
 * --rerank LIST (PQ, default 0,4,10), --pq-m N (default dim/2), --only LIST (flat,sq8,pq,sqflat,pqflat),
 * --kernels wasm|js (default wasm), --rounds N (default 3), --no-peer, --json FILE.
 *
 * QPS is queries per CPU second of the best of `rounds` passes (wall-clock QPS beside it): the machine may
 * be shared, and CPU time is what other processes disturb least. Recall is plain |R ∩ GT| / 10 on both
 * sides (FAISS computes its own in the peer script), against the same ground truth file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { recallAtK } from '@annkit/datasets';
import type { Dataset } from '@annkit/datasets';
import { loadDataset, writeIvecs } from '@annkit/datasets/node';
import type { Kernels } from '@annkit/core';
import { jsKernels } from '@annkit/core';
import { ivfAdapter } from '../adapters/ivf.js';
import type { IvfBenchParams } from '../adapters/ivf.js';
import { pqAdapter } from '../adapters/pq.js';
import { sqAdapter } from '../adapters/sq.js';
import type { BenchAdapter, BuiltIndex } from '../adapters/types.js';
import { chooseKernels } from '../kernels.js';

interface Point {
  params: Record<string, number>;
  recall: number;
  qps: number;
  wallQps: number;
}

interface Series {
  name: string;
  backend: string;
  /** FAISS factory name this series is compared with (IVF series only). */
  faissSpec?: string;
  codeBytes: number;
  bytesPerVector: number;
  buildSeconds: number;
  buildCpuSeconds: number;
  points: Point[];
}

interface FaissOutput {
  error?: string;
  version?: string;
  callOverheadUs?: number;
  specs?: { spec: string; trainSeconds: number; addSeconds: number; codeSize: number; points: { nprobe: number; rerank: number; recall: number; qps: number; wallQps: number }[] }[];
}

const list = (s: string) => s.split(',').map(Number).filter((x) => Number.isFinite(x) && x >= 0);
const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** QPS at exactly `target` recall: log-linear between the grid points around it (Pareto over all points); NaN when never reached. */
export function qpsAtRecall(points: readonly { recall: number; qps: number }[], target: number): number {
  // Frontier first: for each recall the best QPS, so a slow point never hides a faster one.
  const sorted = [...points].sort((a, b) => a.recall - b.recall || b.qps - a.qps);
  const frontier = sorted.filter((p, i) => !sorted.slice(i + 1).some((o) => o.qps >= p.qps));
  let best = NaN;
  for (let i = 0; i < frontier.length; i++) {
    const p = frontier[i]!;
    if (p.recall < target) continue;
    const below = frontier[i - 1];
    let q = p.qps;
    if (below && below.recall < target && p.recall > below.recall) {
      const t = (target - below.recall) / (p.recall - below.recall);
      q = Math.exp(Math.log(below.qps) + t * (Math.log(p.qps) - Math.log(below.qps)));
    }
    if (!(q <= best)) best = q;
  }
  return best;
}

async function measure(adapter: BenchAdapter, data: Dataset, kernels: Kernels, rounds: number, codeBytes: (built: BuiltIndex) => number, maxQueries = Infinity): Promise<Series> {
  const name = `${adapter.library} ${adapter.label}`;
  const w0 = performance.now();
  const c0 = cpuSeconds();
  const built = await adapter.build({ dim: data.dim, metric: data.metric, base: data.base, n: data.nBase, kernels });
  const buildCpuSeconds = cpuSeconds() - c0;
  const buildSeconds = (performance.now() - w0) / 1000;
  console.error(`  built ${name} [${kernels.backend}] in ${buildSeconds.toFixed(1)} s (${buildCpuSeconds.toFixed(1)} s CPU)`);
  const queries: Float32Array[] = [];
  for (let i = 0; i < Math.min(data.nQueries, maxQueries); i++) queries.push(data.queries.subarray(i * data.dim, (i + 1) * data.dim));
  const k = 10;
  const points: Point[] = [];
  for (const params of adapter.searchGrid) {
    built.setSearchParams(params);
    for (let i = 0; i < Math.min(50, queries.length); i++) built.search(queries[i]!, k);
    let bestCpu = Infinity;
    let bestWall = Infinity;
    let results: ArrayLike<number>[] = [];
    for (let r = 0; r < rounds; r++) {
      const out: ArrayLike<number>[] = new Array(queries.length);
      const c = cpuSeconds();
      const t = performance.now();
      for (let i = 0; i < queries.length; i++) out[i] = built.search(queries[i]!, k);
      bestWall = Math.min(bestWall, (performance.now() - t) / 1000);
      bestCpu = Math.min(bestCpu, cpuSeconds() - c);
      results = out;
    }
    const recall = recallAtK(results, data.groundTruth, data.gtK, k);
    points.push({ params, recall, qps: queries.length / bestCpu, wallQps: queries.length / bestWall });
  }
  const series: Series = { name, backend: kernels.backend, codeBytes: codeBytes(built), bytesPerVector: built.memoryBytes() / data.nBase, buildSeconds, buildCpuSeconds, points };
  built.free?.();
  return series;
}

async function runFaiss(data: Dataset, specs: string[], nprobes: number[], reranks: number[], ntrain: number, rounds: number): Promise<FaissOutput> {
  const dir = data.source?.dir;
  if (!dir) return { error: 'the dataset has no folder on disk for the peer to read' };
  const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../peers/faiss_ivf.py');
  const python = '/usr/bin/python3';
  if (!existsSync(python) || !existsSync(script)) return { error: `${python} or ${script} missing` };
  const tmp = mkdtempSync(join(tmpdir(), 'annkit-ivf-'));
  try {
    const gt = join(tmp, 'gt.ivecs');
    await writeIvecs(gt, data.groundTruth, data.gtK);
    const args = [script, '--base', join(dir, 'base.fvecs'), '--queries', join(dir, 'query.fvecs'), '--gt', gt, '--metric', data.metric];
    args.push('--nb', String(data.nBase), '--nq', String(data.nQueries), '--ntrain', String(ntrain), '--rounds', String(rounds));
    args.push('--nprobe', nprobes.join(','), '--rerank', reranks.join(','));
    for (const s of specs) args.push('--spec', s);
    console.error(`  running FAISS peer: ${specs.join(' ')} (training and adding in FAISS)`);
    const out = execFileSync(python, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out) as FaissOutput;
  } catch (err) {
    return { error: `FAISS peer failed: ${String(err).slice(0, 200)}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * FAISS's in-memory bytes per vector, from its layout: the code and an 8-byte id in the inverted list,
 * plus the coarse centroids (and PQ codebooks, and the refine index's raw floats) spread over n.
 */
function faissBytesPerVector(spec: string, codeSize: number, data: Dataset, nlist: number, pqM: number, refine: boolean): number {
  const n = data.nBase;
  let shared = nlist * data.dim * 4;
  if (spec.includes('PQ')) shared += pqM * 256 * (data.dim / pqM) * 4;
  if (spec.includes('SQ')) shared += 2 * data.dim * 4;
  return codeSize + 8 + shared / n + (refine ? 4 * data.dim : 0);
}

function faissSeries(out: FaissOutput, data: Dataset, nlist: number, pqM: number, reranks: number[]): Series[] {
  return (out.specs ?? []).map((s): Series => ({
    name: `faiss ${s.spec}`,
    backend: 'native',
    faissSpec: s.spec,
    codeBytes: s.codeSize,
    bytesPerVector: faissBytesPerVector(s.spec, s.codeSize, data, nlist, pqM, s.spec.includes('PQ') && reranks.some((r) => r > 0)),
    buildSeconds: s.trainSeconds + s.addSeconds,
    buildCpuSeconds: NaN,
    points: s.points.map((p): Point => {
      const params: Record<string, number> = s.spec.includes('PQ') ? { nprobe: p.nprobe, rerank: p.rerank } : { nprobe: p.nprobe };
      return { params, recall: p.recall, qps: p.qps, wallQps: p.wallQps };
    }),
  }));
}

const paramText = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') || '–';

function printSeries(all: Series[]): void {
  console.log('| index | backend | search params | recall@10 | QPS (CPU) | QPS (wall) |\n|---|---|---|---:|---:|---:|');
  for (const s of all) for (const p of s.points) console.log(`| ${s.name} | ${s.backend} | ${paramText(p.params)} | ${p.recall.toFixed(4)} | ${fmt(p.qps)} | ${fmt(p.wallQps)} |`);
  console.log('\n| index | backend | QPS @0.90 | QPS @0.95 | max recall | build s (CPU s) | code bytes/vec | memory bytes/vec |\n|---|---|---:|---:|---:|---:|---:|---:|');
  for (const s of all) {
    const maxRecall = Math.max(...s.points.map((p) => p.recall));
    console.log(`| ${s.name} | ${s.backend} | ${fmt(qpsAtRecall(s.points, 0.9))} | ${fmt(qpsAtRecall(s.points, 0.95))} | ${maxRecall.toFixed(4)} | ${s.buildSeconds.toFixed(1)} (${fmt(s.buildCpuSeconds, 1)}) | ${s.codeBytes} | ${fmt(s.bytesPerVector, 1)} |`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      'max-base': { type: 'string' },
      queries: { type: 'string' },
      nlist: { type: 'string' },
      train: { type: 'string' },
      nprobe: { type: 'string' },
      rerank: { type: 'string' },
      'pq-m': { type: 'string' },
      'pq-train': { type: 'string' },
      only: { type: 'string' },
      kernels: { type: 'string' },
      rounds: { type: 'string' },
      'no-peer': { type: 'boolean' },
      json: { type: 'string' },
    },
  });
  const name = values.dataset ?? 'glove6b-100-angular';
  const data = await loadDataset(name, { maxBase: values['max-base'] ? Number(values['max-base']) : undefined, maxQueries: Number(values.queries ?? 1000), quiet: true });
  const n = data.nBase;
  const nlist = Number(values.nlist ?? Math.max(1, Math.round(4 * Math.sqrt(n))));
  const ntrain = Math.min(n, Number(values.train ?? 64 * nlist));
  const nprobes = values.nprobe ? list(values.nprobe).filter((x) => x > 0) : [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 192, 256].filter((p) => p <= nlist);
  const reranks = values.rerank ? list(values.rerank) : [0, 4, 10];
  const pqM = Number(values['pq-m'] ?? data.dim / 2);
  // PQ training with 2-dim sub-quantizers is slow on both sides (FAISS's most of all): IVF-PQ trains on fewer rows.
  const pqTrain = Math.min(ntrain, Number(values['pq-train'] ?? 20_000));
  const only = new Set((values.only ?? 'flat,sq8,pq,sqflat,pqflat').split(','));
  const rounds = Number(values.rounds ?? 3);
  const kernels = values.kernels === 'js' ? jsKernels : await chooseKernels('wasm').catch(() => jsKernels);

  console.log(`## ${data.name}: ${n} base × ${data.dim}, ${data.nQueries} queries, ${data.metric}, recall@10; nlist=${nlist}; training rows (the first base rows): ${ntrain} (IVF-PQ: ${pqTrain}); PQ m=${pqM}`);
  console.log(`node ${process.version}, kernels ${kernels.backend}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start (shared machine: compare ratios within this run)\n`);

  const ivfConfigs: { key: string; params: IvfBenchParams; faiss: string; train: number }[] = [
    { key: 'flat', params: { codec: 'flat' }, faiss: 'Flat', train: ntrain },
    { key: 'sq8', params: { codec: 'sq8' }, faiss: 'SQ8', train: ntrain },
    { key: 'pq', params: { codec: 'pq', pqM, rerank: reranks }, faiss: `PQ${pqM}`, train: pqTrain },
  ];
  const ours: Series[] = [];
  for (const c of ivfConfigs) {
    if (!only.has(c.key)) continue;
    const params: IvfBenchParams = { ...c.params, nlist, nprobe: nprobes, trainSize: c.train };
    const s = await measure(ivfAdapter(params), data, kernels, rounds, () => (c.key === 'flat' ? 4 * data.dim : c.key === 'sq8' ? data.dim : pqM));
    s.faissSpec = `IVF${nlist},${c.faiss}`;
    ours.push(s);
  }

  const peers: Series[] = [];
  if (values['no-peer']) console.log('(FAISS not compared: --no-peer)');
  else {
    // One peer run per training-set size (FAISS trains the coarse quantizer and the codec on the same rows).
    for (const train of [...new Set(ivfConfigs.filter((c) => only.has(c.key)).map((c) => c.train))]) {
      const specs = ivfConfigs.filter((c) => only.has(c.key) && c.train === train).map((c) => `IVF${nlist},${c.faiss}`);
      const out = await runFaiss(data, specs, nprobes, reranks, train, rounds);
      if (out.error) {
        console.log(`(FAISS not compared: ${out.error})`);
        break;
      }
      peers.push(...faissSeries(out, data, nlist, pqM, reranks));
      console.log(`FAISS ${out.version} (python3-faiss, Debian's generic build: no AVX2 kernels), 1 thread, one query per call, ${train} training rows; binding overhead ≈ ${fmt(out.callOverheadUs ?? NaN, 1)} µs per call, included in its QPS.`);
    }
  }

  console.log('\n### IVF: recall@10 vs QPS over nprobe (and rerank for PQ)\n');
  printSeries([...ours, ...peers]);
  if (peers.length > 0) {
    console.log('\nRatios annkit / FAISS at equal recall (QPS per CPU second; ≥ 0.5 is the issue\'s aim):');
    for (const s of ours) {
      const p = peers.find((x) => x.faissSpec === s.faissSpec);
      if (!p) continue;
      const r = (t: number) => qpsAtRecall(s.points, t) / qpsAtRecall(p.points, t);
      const x = (v: number) => (Number.isFinite(v) ? `×${v.toFixed(2)}` : '–');
      console.log(`- ${s.name} vs faiss ${p.faissSpec}: QPS@0.90 ${x(r(0.9))}, QPS@0.95 ${x(r(0.95))}; code bytes/vector ${s.codeBytes} vs ${p.codeBytes}`);
    }
  }

  const flat: Series[] = [];
  // Flat scans touch every code: 200 queries and one round keep them affordable.
  if (only.has('sqflat')) flat.push(await measure(sqAdapter({ bits: 8, rerank: [0, 2, 4] }), data, kernels, 1, () => data.dim, 200));
  if (only.has('pqflat')) flat.push(await measure(pqAdapter({ m: pqM, rerank: [0, 4, 10, 20], trainSize: pqTrain }), data, kernels, 1, () => pqM, 200));
  if (flat.length > 0) {
    console.log(`\n### Flat scans over codes (first ${Math.min(200, data.nQueries)} queries, one round): recall@10 vs QPS over the rerank factor (raw vectors kept for rerank)\n`);
    printSeries(flat);
  }
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ dataset: data.name, n, nq: data.nQueries, nlist, ntrain, pqM, kernels: kernels.backend, series: [...ours, ...peers, ...flat] }, null, 1));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
