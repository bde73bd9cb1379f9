#!/usr/bin/env node
/*
 * Issue 6 benchmark: the recall/QPS curve of @annkit/annoy over searchK at nTrees = 10, 50, 100, with
 * build time and bytes per vector, beside flat and HNSW measured in the same run.
 *
 *   npx tsc -b tsconfig.build.json && node bench/dist/runs/annoy.js
 *   node bench/dist/runs/annoy.js --dataset mnist10k-784-euclidean --trees 10,50 --queries 300
 *
 * Options: --dataset NAME (repeatable; default glove6b-100-angular and mnist10k-784-euclidean),
 * --max-base N, --queries N (default 500), --trees LIST (default 10,50,100), --bucket N,
 * --searchk LIST (default: a doubling sweep), --kernels auto|js|wasm, --no-peers, --json FILE.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDataset } from '@annkit/datasets/node';
import { annoyAdapter } from '../adapters/annoy.js';
import type { AnnoyBenchParams } from '../adapters/annoy.js';
import type { BenchAdapter } from '../adapters/types.js';
import { runJob } from '../job.js';
import type { ResultRow } from '../job.js';
import type { KernelChoice } from '../kernels.js';
import { knownAdapters, registerAdapter } from '../registry.js';
import { comparisonLines, markdownTable, summaryTable } from '../report.js';

const list = (s: string) => s.split(',').map(Number).filter((x) => Number.isFinite(x) && x > 0);

/** annkit's own HNSW adapter, when its module exists in this build (it is written alongside this one). */
async function tryRegisterAnnkitHnsw(): Promise<boolean> {
  try {
    const mod = (await import(new URL('../adapters/hnsw.js', import.meta.url).href)) as { hnswAdapter?: (p: Record<string, unknown>) => BenchAdapter };
    if (typeof mod.hnswAdapter !== 'function') return false;
    registerAdapter('hnsw', (p) => mod.hnswAdapter!(p));
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', multiple: true },
      'max-base': { type: 'string' },
      queries: { type: 'string' },
      trees: { type: 'string' },
      bucket: { type: 'string' },
      searchk: { type: 'string' },
      kernels: { type: 'string' },
      'no-peers': { type: 'boolean' },
      json: { type: 'string' },
    },
  });
  const datasets = values.dataset ?? ['glove6b-100-angular', 'mnist10k-784-euclidean'];
  const maxBase = values['max-base'] ? Number(values['max-base']) : undefined;
  const maxQueries = Number(values.queries ?? 500);
  const trees = list(values.trees ?? '10,50,100');
  const kernels = (values.kernels ?? 'auto') as KernelChoice;
  const k = 10;

  registerAdapter('annoy', (p) => annoyAdapter(p as AnnoyBenchParams));
  const specsFor = (nBase: number) => trees.map((t) => {
    const parts = [`nTrees=${t}`, `nBase=${nBase}`];
    if (values.bucket) parts.push(`bucketSize=${Number(values.bucket)}`);
    if (values.searchk) parts.push(`searchK=${list(values.searchk).join('/')}`);
    return `annoy:${parts.join(',')}`;
  });
  const peers = ['flat'];
  if (!values['no-peers']) {
    if (await tryRegisterAnnkitHnsw()) peers.push('hnsw:m=16,efConstruction=200');
    if (knownAdapters().includes('hnswlib')) peers.push('hnswlib:m=16,efConstruction=200');
  }

  const all: ResultRow[] = [];
  for (const name of datasets) {
    const data = await loadDataset(name, { maxBase, maxQueries, quiet: true });
    console.log(`\n## ${name}: ${data.nBase} base × ${data.dim}, ${data.nQueries} queries, ${data.metric}, recall@${k}`);
    console.log(`node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (figures under shared load: compare ratios within this run)\n`);
    const rows: ResultRow[] = [];
    for (const spec of [...peers, ...specsFor(data.nBase)]) {
      const started = performance.now();
      try {
        rows.push(...(await runJob({ dataset: name, index: spec, k, kernels }, data)));
      } catch (err) {
        const message = (err as Error).message;
        // A peer that cannot run (not installed, unsupported metric) is reported, not fatal.
        rows.push({ library: spec, label: '', spec, searchParams: {}, dataset: name, n: data.nBase, nq: data.nQueries, k, recall: NaN, qps: NaN, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, buildSeconds: NaN, memoryBytes: NaN, bytesPerVector: NaN, backend: '', error: message });
      }
      console.error(`  ${spec}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    console.log(markdownTable(rows));
    console.log();
    console.log(summaryTable(rows));
    const annoyKeys = [...new Set(rows.filter((r) => r.library === 'annkit-annoy').map((r) => `${r.library} ${r.label}`))];
    const pairs = annoyKeys.flatMap((ours) => [
      { ours, peer: 'annkit-flat Flat' },
      ...rows.filter((r) => r.library !== 'annkit-annoy' && r.library !== 'annkit-flat' && !r.error).map((r) => ({ ours, peer: `${r.library} ${r.label}` })),
    ]);
    const unique = pairs.filter((p, i) => pairs.findIndex((q) => q.ours === p.ours && q.peer === p.peer) === i);
    const lines = comparisonLines(rows, unique);
    if (lines.length > 0) console.log(`\n${lines.join('\n')}`);
    all.push(...rows);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 1));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
