import type { Metric, ProgressEvent } from '@annkit/core';
import { recallAtK } from '@annkit/datasets';
import type { Dataset } from '@annkit/datasets';
import { chooseKernels } from './kernels.js';
import type { KernelChoice } from './kernels.js';
import { createAdapter } from './registry.js';
import { summarizeLatencies } from './stats.js';

/** One build of one index spec on one dataset, and its search-parameter sweep. */
export interface Job {
  dataset: string;
  maxBase?: number;
  maxQueries?: number;
  /** Metric for dataset folders that don't declare one. */
  metric?: Metric;
  /** Registry spec, e.g. "flat" or "hnsw:m=16,efConstruction=200". */
  index: string;
  k: number;
  kernels: KernelChoice;
  /** Untimed queries run before each grid point's timed pass (default min(50, nq)). */
  warmup?: number;
}

export interface ResultRow {
  library: string;
  label: string;
  spec: string;
  searchParams: Record<string, number>;
  dataset: string;
  n: number;
  nq: number;
  k: number;
  recall: number;
  qps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  buildSeconds: number;
  memoryBytes: number;
  bytesPerVector: number;
  serializedBytes?: number;
  peakRssBytes?: number;
  backend: string;
  error?: string;
}

/**
 * Builds the index, then for each point of its search grid: a warm-up pass (untimed), then every query
 * once, one at a time, timing each call. QPS = queries / summed query time, so dataset loading, build and
 * warm-up are excluded. Recall@k is tie-tolerant against the dataset's exact ground truth.
 */
export async function runJob(job: Job, data: Dataset, onProgress?: (label: string, e: ProgressEvent) => void): Promise<ResultRow[]> {
  const adapter = createAdapter(job.index);
  const kernels = await chooseKernels(job.kernels);
  const base = { library: adapter.library, label: adapter.label, spec: job.index, dataset: data.name, n: data.nBase, nq: data.nQueries, k: job.k };
  const backend = adapter.backend ?? kernels.backend;
  if (!adapter.metrics.includes(data.metric)) throw new Error(`${adapter.library} ${adapter.label} does not support metric ${data.metric}`);

  const t0 = performance.now();
  const built = await adapter.build({
    dim: data.dim,
    metric: data.metric,
    base: data.base,
    n: data.nBase,
    kernels,
    onProgress: onProgress ? (e) => onProgress(`${adapter.library} ${adapter.label}`, e) : undefined,
  });
  let buildSeconds = (performance.now() - t0) / 1000;

  const rows: Float32Array[] = [];
  for (let i = 0; i < data.nQueries; i++) rows.push(data.queries.subarray(i * data.dim, (i + 1) * data.dim));
  const warmup = Math.min(job.warmup ?? 50, rows.length);
  const tie = { base: data.base, queries: data.queries, dim: data.dim, metric: data.metric };
  const out: ResultRow[] = [];
  if (built.runAll) {
    // A peer in another process times its own queries; recall is computed here like every other row.
    const external = built.runAll(rows, job.k, warmup);
    buildSeconds = external.buildSeconds;
    const memoryBytes = built.memoryBytes();
    external.points.forEach((point, g) => {
      const recall = recallAtK(point.results, data.groundTruth, data.gtK, job.k, { tieTolerance: tie });
      out.push({ ...base, searchParams: adapter.searchGrid[g]!, recall, ...summarizeLatencies(point.latenciesMs), buildSeconds, memoryBytes, bytesPerVector: memoryBytes / data.nBase, backend });
    });
    return out;
  }
  const memoryBytes = built.memoryBytes();
  const serializedBytes = built.serializedBytes?.();
  const queries = built.prepareQueries ? built.prepareQueries(rows) : rows;
  for (const params of adapter.searchGrid) {
    built.setSearchParams(params);
    for (let i = 0; i < warmup; i++) built.search(queries[i]!, job.k);
    const latencies = new Float64Array(queries.length);
    const results: ArrayLike<number>[] = new Array(queries.length);
    for (let i = 0; i < queries.length; i++) {
      const start = performance.now();
      results[i] = built.search(queries[i]!, job.k);
      latencies[i] = performance.now() - start;
    }
    const recall = recallAtK(results, data.groundTruth, data.gtK, job.k, { tieTolerance: tie });
    out.push({ ...base, searchParams: params, recall, ...summarizeLatencies(latencies), buildSeconds, memoryBytes, bytesPerVector: memoryBytes / data.nBase, serializedBytes, backend });
    onProgress?.(`${adapter.library} ${adapter.label}`, { phase: 'search', done: out.length, total: adapter.searchGrid.length });
  }
  built.free?.();
  return out;
}
