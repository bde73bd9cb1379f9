#!/usr/bin/env node
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Metric } from '@annkit/core';
import type { Dataset } from '@annkit/datasets';
import { loadInput } from './inputs.js';
import { runJob } from './job.js';
import type { Job, ResultRow } from './job.js';
import type { KernelChoice } from './kernels.js';
import { recallQpsSvg } from './plot.js';
import { ProgressBar } from './progress-bar.js';
import { knownAdapters } from './registry.js';
import { comparisonLines, markdownTable, summaryTable } from './report.js';
import { DEFAULT_DATASET, defaultIndexes, PEER_PAIRS } from './defaults.js';

const HELP = `annkit-bench — recall/latency benchmark (ann-benchmarks style)

  --dataset NAME|PATH  a registry name (default ${DEFAULT_DATASET}; glove6b-100-angular and
                     mnist10k-784-euclidean come from ../shared/datasets), an ann-benchmarks .hdf5 file, or a
                     folder of TEXMEX (*base.fvecs, *query.fvecs, *groundtruth.ivecs) or big-ann
                     (*base.fbin|u8bin, *query.*, *.ibin) files
  --metric M         l2 | ip | cosine, for folders that don't say (default l2)
  --max-base N       use the first N base vectors (exact ground truth is recomputed and cached)
  --queries N        use the first N queries (default 1000; --quick 200)
  --index SPEC       index spec, repeatable (default: every family at sensible parameters + installed peers)
                     known: ${knownAdapters().join(', ')}
  --k K              neighbours per query (default 10)
  --kernels MODE     auto | js | wasm (default auto)
  --quick            small and fast: 10k base slice, 200 queries, fewer grid points
  --out DIR          results folder (default bench/results)
  --in-process       run builds in this process instead of one child process each
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      'max-base': { type: 'string' },
      queries: { type: 'string' },
      index: { type: 'string', multiple: true },
      k: { type: 'string' },
      kernels: { type: 'string' },
      metric: { type: 'string' },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      'in-process': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(HELP);
  const quick = Boolean(values.quick);
  const dataset = values.dataset ?? DEFAULT_DATASET;
  const k = Number(values.k ?? 10);
  const kernels = (values.kernels ?? 'auto') as KernelChoice;
  const metric = values.metric as Metric | undefined;
  const maxQueries = Number(values.queries ?? (quick ? 200 : 1000));
  const maxBase = values['max-base'] ? Number(values['max-base']) : quick ? 10_000 : undefined;
  const indexes = values.index ?? defaultIndexes(quick);
  const bar = new ProgressBar();

  // Prepare (download, parse, ground truth) once in this process, with progress; workers then read the cache.
  bar.start(`dataset ${dataset}`);
  const data = await loadInput(dataset, { maxBase, maxQueries, metric, onProgress: (e) => bar.update(e) });
  bar.note(`dataset ${data.name}: ${data.nBase} base × ${data.dim} d, ${data.nQueries} queries, metric ${data.metric}`);

  const rows: ResultRow[] = [];
  const skipped: { index: string; reason: string }[] = [];
  for (const index of indexes) {
    const job: Job = { dataset, maxBase, maxQueries, metric, index, k, kernels };
    bar.start(index);
    try {
      rows.push(...(values['in-process'] ? await runJob(job, data, (_, e) => bar.update(e)) : await runInChild(job, bar)));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message.startsWith('SKIP: ')) {
        bar.note(`skipped ${index}: ${message.slice(6)}`);
        skipped.push({ index, reason: message.slice(6) });
        continue;
      }
      bar.note(`${index}: failed (${message}); continuing`);
      rows.push(errorRow(index, data, k, message));
    }
  }

  const outDir = resolve(values.out ?? join(packageRoot(), 'results'));
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = join(outDir, `${data.name}-${stamp}`);
  const environment = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem(), loadAverage: loadavg(), kernels };
  writeFileSync(`${base}.json`, JSON.stringify({ dataset: { name: data.name, n: data.nBase, nq: data.nQueries, dim: data.dim, metric: data.metric }, k, environment, rows, skipped }, null, 2));
  const md = [`## ${data.name} (n=${data.nBase}, ${data.nQueries} queries, k=${k})`, '', summaryTable(rows), '', markdownTable(rows), ''].join('\n');
  writeFileSync(`${base}.md`, md);
  writeFileSync(`${base}.svg`, recallQpsSvg(rows, `${data.name}: recall@${k} vs QPS (n=${data.nBase}, ${data.nQueries} queries)`));
  console.log(`\n${md}`);
  for (const line of comparisonLines(rows, PEER_PAIRS)) console.log(line);
  console.log(`\nload average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; results: ${base}.json, ${base}.md; plot: ${base}.svg`);
}

function runInChild(job: Job, bar: ProgressBar): Promise<ResultRow[]> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (msg: { type: string; rows?: ResultRow[]; message?: string; label?: string; event?: never }) => {
      if (msg.type === 'progress' && msg.event) bar.update(msg.event);
      else if (msg.type === 'rows') {
        settled = true;
        resolvePromise(msg.rows!);
      } else if (msg.type === 'error') {
        settled = true;
        reject(new Error(msg.message));
      }
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`worker exited (${signal ?? `code ${code}`}) without results`));
    });
    child.send(job);
  });
}

function errorRow(spec: string, data: Dataset, k: number, error: string): ResultRow {
  const nan = NaN;
  return { library: spec, label: '', spec, searchParams: {}, dataset: data.name, n: data.nBase, nq: data.nQueries, k, recall: nan, qps: nan, p50Ms: nan, p95Ms: nan, p99Ms: nan, buildSeconds: nan, memoryBytes: nan, bytesPerVector: nan, backend: '', error };
}

function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
