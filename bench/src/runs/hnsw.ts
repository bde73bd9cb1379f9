#!/usr/bin/env node
/*
 * Issue 5 benchmark: @annkit/hnsw against native hnswlib (hnswlib-node) with the same m and efConstruction,
 * queries one at a time on one thread. Reports recall@10 / QPS over efSearch, QPS at recall 0.90 and 0.95
 * (log-interpolated between grid points), build time, bytes per vector, and the ratios to hnswlib.
 *
 *   npx tsc -b tsconfig.build.json && node bench/dist/runs/hnsw.js
 *   node bench/dist/runs/hnsw.js --dataset glove6b-100-angular --max-base 50000 --queries 1000 --kernels wasm
 *
 * Options: --dataset NAME (repeatable; default glove6b-100-angular and mnist10k-784-euclidean), --max-base N,
 * --queries N (default 1000), --kernels LIST (default wasm,js), --ef LIST, --m N, --ef-construction N,
 * --rounds N (default 5), --no-peer, --json FILE.
 *
 * The machine may be shared: for every efSearch the indexes are searched in turn, `rounds` times, and each
 * keeps its best round, so a burst of load elsewhere hits all of them alike. QPS and build times are
 * reported from CPU seconds (which other processes disturb least) with wall-clock figures beside them;
 * the ratios use CPU seconds. Everything runs on one thread, so on an idle machine the two agree.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { jsKernels } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { recallAtK } from '@annkit/datasets';
import { loadDataset } from '@annkit/datasets/node';
import type { Dataset } from '@annkit/datasets';
import { DEFAULT_EF_GRID, hnswAdapter } from '../adapters/hnsw.js';
import { hnswlibHnswAdapter, hnswlibUnavailableReason } from '../adapters/hnswlib.js';
import type { BenchAdapter, BuiltIndex, PreparedQuery } from '../adapters/types.js';
import { chooseKernels } from '../kernels.js';

const list = (s: string) => s.split(',').map(Number).filter((x) => Number.isFinite(x) && x > 0);

interface Contender {
  name: string;
  backend: string;
  built: BuiltIndex;
  queries: PreparedQuery[];
  buildWall: number;
  buildCpu: number;
  bytesPerVector: number;
  /** qps from the best round's CPU time (what other processes disturb least), wallQps from its wall time. */
  points: { efSearch: number; recall: number; qps: number; wallQps: number }[];
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function build(adapter: BenchAdapter, data: Dataset, kernels: Kernels, backend: string, memory?: (n: number) => number): Promise<Contender> {
  const w0 = performance.now();
  const c0 = cpuSeconds();
  const built = await adapter.build({ dim: data.dim, metric: data.metric, base: data.base, n: data.nBase, kernels });
  const buildCpu = cpuSeconds() - c0;
  const buildWall = (performance.now() - w0) / 1000;
  const rows: Float32Array[] = [];
  for (let i = 0; i < data.nQueries; i++) rows.push(data.queries.subarray(i * data.dim, (i + 1) * data.dim));
  const queries = built.prepareQueries ? built.prepareQueries(rows) : rows;
  const bytes = memory ? memory(data.nBase) : built.memoryBytes();
  const name = `${adapter.library} ${adapter.label}`;
  console.error(`  built ${name} [${backend}] in ${buildWall.toFixed(1)} s (${buildCpu.toFixed(1)} s CPU)`);
  return { name, backend, built, queries, buildWall, buildCpu, bytesPerVector: bytes / data.nBase, points: [] };
}

/** One timed pass over every query: wall and CPU seconds, and the results. */
function pass(c: Contender, k: number): { wall: number; cpu: number; results: ArrayLike<number>[] } {
  const results: ArrayLike<number>[] = new Array(c.queries.length);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < c.queries.length; i++) results[i] = c.built.search(c.queries[i]!, k);
  const wall = (performance.now() - t0) / 1000;
  return { wall, cpu: cpuSeconds() - c0, results };
}

/** QPS at exactly `target` recall: log-linear between the grid points around it; NaN when never reached. */
export function qpsAtRecall(points: readonly { recall: number; qps: number }[], target: number): number {
  const sorted = [...points].sort((a, b) => a.recall - b.recall);
  let best = NaN;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p.recall < target) continue;
    const below = sorted[i - 1];
    let q = p.qps;
    if (below && below.recall < target && p.recall > below.recall) {
      const t = (target - below.recall) / (p.recall - below.recall);
      q = Math.exp(Math.log(below.qps) + t * (Math.log(p.qps) - Math.log(below.qps)));
    }
    if (!(q <= best)) best = q;
  }
  return best;
}

/** hnswlib's memory per element, from its layout: level-0 block (link count, 2m links, vector, 8-byte label)
 * plus upper levels, each (count + m links), 1/(m − 1) of them per element on average. */
export function hnswlibBytesPerElement(dim: number, m: number): number {
  return 4 + 2 * m * 4 + dim * 4 + 8 + (4 + 4 * m) / (m - 1);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', multiple: true },
      'max-base': { type: 'string' },
      queries: { type: 'string' },
      kernels: { type: 'string' },
      ef: { type: 'string' },
      m: { type: 'string' },
      'ef-construction': { type: 'string' },
      rounds: { type: 'string' },
      'no-peer': { type: 'boolean' },
      json: { type: 'string' },
    },
  });
  const datasets = values.dataset ?? ['glove6b-100-angular', 'mnist10k-784-euclidean'];
  const maxBase = values['max-base'] ? Number(values['max-base']) : undefined;
  const maxQueries = Number(values.queries ?? 1000);
  const backends = (values.kernels ?? 'wasm,js').split(',').map((s) => s.trim());
  const grid = values.ef ? list(values.ef) : DEFAULT_EF_GRID;
  const m = Number(values.m ?? 16);
  const efConstruction = Number(values['ef-construction'] ?? 200);
  const rounds = Number(values.rounds ?? 5);
  const k = 10;
  const report: unknown[] = [];

  for (const name of datasets) {
    const data = await loadDataset(name, { maxBase, maxQueries, quiet: true });
    console.log(`\n## ${name}: ${data.nBase} base × ${data.dim}, ${data.nQueries} queries, ${data.metric}, recall@${k}, m=${m}, efConstruction=${efConstruction}`);
    console.log(`node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start (shared machine: compare ratios within this run)\n`);

    const contenders: Contender[] = [];
    for (const b of backends) {
      const kernels = b === 'js' ? jsKernels : await chooseKernels(b as 'wasm' | 'auto');
      contenders.push(await build(hnswAdapter({ m, efConstruction, efSearch: grid }), data, kernels, kernels.backend));
    }
    const peerMissing = values['no-peer'] ? 'disabled by --no-peer' : hnswlibUnavailableReason();
    if (peerMissing === null) {
      contenders.push(await build(hnswlibHnswAdapter({ m, efConstruction, efSearch: grid }), data, jsKernels, 'native', (n) => n * hnswlibBytesPerElement(data.dim, m)));
    } else {
      console.log(`(hnswlib-node not compared: ${peerMissing})`);
    }

    const tie = { base: data.base, queries: data.queries, dim: data.dim, metric: data.metric };
    for (const efSearch of grid) {
      const best = new Map<Contender, { wall: number; cpu: number; recall: number }>();
      for (const c of contenders) {
        c.built.setSearchParams({ efSearch });
        for (let i = 0; i < Math.min(50, c.queries.length); i++) c.built.search(c.queries[i]!, k);
      }
      for (let r = 0; r < rounds; r++) {
        for (const c of contenders) {
          c.built.setSearchParams({ efSearch });
          const { wall, cpu, results } = pass(c, k);
          const prev = best.get(c);
          const recall = prev?.recall ?? recallAtK(results, data.groundTruth, data.gtK, k, { tieTolerance: tie });
          best.set(c, { wall: Math.min(wall, prev?.wall ?? Infinity), cpu: Math.min(cpu, prev?.cpu ?? Infinity), recall });
        }
      }
      for (const c of contenders) {
        const b = best.get(c)!;
        c.points.push({ efSearch, recall: b.recall, qps: data.nQueries / b.cpu, wallQps: data.nQueries / b.wall });
      }
    }

    console.log('QPS = queries per CPU second of the best round (wall-clock QPS beside it).\n');
    console.log('| index | backend | efSearch | recall@10 | QPS (CPU) | QPS (wall) |\n|---|---|---:|---:|---:|---:|');
    for (const c of contenders) for (const p of c.points) console.log(`| ${c.name} | ${c.backend} | ${p.efSearch} | ${p.recall.toFixed(4)} | ${p.qps.toFixed(0)} | ${p.wallQps.toFixed(0)} |`);
    console.log('\n| index | backend | QPS @0.90 | QPS @0.95 | max recall | build s (CPU s) | bytes/vec |\n|---|---|---:|---:|---:|---:|---:|');
    const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
    for (const c of contenders) {
      const maxRecall = Math.max(...c.points.map((p) => p.recall));
      console.log(`| ${c.name} | ${c.backend} | ${fmt(qpsAtRecall(c.points, 0.9))} | ${fmt(qpsAtRecall(c.points, 0.95))} | ${maxRecall.toFixed(4)} | ${c.buildWall.toFixed(1)} (${c.buildCpu.toFixed(1)}) | ${c.bytesPerVector.toFixed(1)} |`);
    }
    const peer = contenders.find((c) => c.backend === 'native');
    if (peer) {
      console.log(`\nRatios to ${peer.name} (QPS: higher is better; build and bytes: lower is better). hnswlib bytes/vector = 4 + 8m + 4·dim + 8 + (4 + 4m)/(m − 1) = ${peer.bytesPerVector.toFixed(1)}.`);
      for (const c of contenders) {
        if (c === peer) continue;
        const r = (t: number) => qpsAtRecall(c.points, t) / qpsAtRecall(peer.points, t);
        const x = (v: number) => (Number.isFinite(v) ? `×${v.toFixed(2)}` : '–');
        console.log(`- ${c.name} [${c.backend}]: QPS@0.90 ${x(r(0.9))}, QPS@0.95 ${x(r(0.95))}, build ${x(c.buildCpu / peer.buildCpu)} (CPU; wall ${x(c.buildWall / peer.buildWall)}), bytes/vector ${x(c.bytesPerVector / peer.bytesPerVector)}`);
      }
    }
    for (const c of contenders) {
      report.push({ dataset: name, n: data.nBase, nq: data.nQueries, index: c.name, backend: c.backend, buildSeconds: c.buildWall, buildCpuSeconds: c.buildCpu, bytesPerVector: c.bytesPerVector, points: c.points });
      c.built.free?.();
    }
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 1));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
