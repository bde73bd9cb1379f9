import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metric } from '@annkit/core';
import { computeGroundTruth } from '../ground-truth.js';
import { writeIvecs, readIvecs } from './vecs-files.js';
import { StageReporter } from './progress.js';
import type { ReporterOptions } from './progress.js';

export interface SubsetGtRequest extends ReporterOptions {
  readonly name: string;
  /** The dataset folder (its base/query files fingerprint the cache entry). */
  readonly dir: string;
  readonly base: Float32Array;
  readonly queries: Float32Array;
  readonly dim: number;
  readonly metric: Metric;
  readonly k: number;
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
}

/**
 * Exact ground truth for a base prefix (the shipped file refers to the full base), cached at
 * `<cache>/groundtruth/<name>-<fingerprint>/base<B>-k<K>-q<Q>.ivecs`. Rows depend only on their own
 * query, so a cached file for at least as many queries is reused by reading its first rows.
 */
export async function subsetGroundTruth(req: SubsetGtRequest): Promise<Int32Array> {
  const { dim, k } = req;
  const nBase = req.base.length / dim;
  const nq = req.queries.length / dim;
  const folder = join(req.cacheDir, 'groundtruth', `${req.name}-${await fingerprint(req.dir)}`);
  const cached = await findCached(folder, nBase, k, nq);
  if (cached) {
    const gt = await readIvecs(join(folder, cached), { limit: nq });
    if (gt.dim === k && gt.n === nq) return gt.data;
  }
  const bar = new StageReporter('groundtruth', `ground truth ${req.name} (base ${nBase})`, 'queries', req);
  const ids = computeGroundTruth(req.base, req.queries, dim, req.metric, k, {
    onProgress: (e) => bar.update(e.done, e.total),
    signal: req.signal,
  });
  bar.finish();
  try {
    await writeIvecs(join(folder, `base${nBase}-k${k}-q${nq}.ivecs`), ids, k);
  } catch (err) {
    // The cache only saves time; an unwritable cache must not fail the load.
    if (!req.quiet) process.stderr.write(`warning: could not cache ground truth in ${folder}: ${(err as Error).message}\n`);
  }
  return ids;
}

async function findCached(folder: string, nBase: number, k: number, nq: number): Promise<string | undefined> {
  let files: string[];
  try {
    files = await readdir(folder);
  } catch {
    return undefined;
  }
  let best: { file: string; q: number } | undefined;
  for (const file of files) {
    const m = /^base(\d+)-k(\d+)-q(\d+)\.ivecs$/.exec(file);
    if (!m || Number(m[1]) !== nBase || Number(m[2]) !== k) continue;
    const q = Number(m[3]);
    if (q >= nq && (!best || q < best.q)) best = { file, q };
  }
  return best?.file;
}

/** Changes when the dataset's files are replaced (size or mtime), invalidating cached ground truth. */
async function fingerprint(dir: string): Promise<string> {
  let h = 0x811c9dc5;
  for (const f of ['base.fvecs', 'query.fvecs']) {
    const s = await stat(join(dir, f));
    for (const ch of `${f}:${s.size}:${Math.round(s.mtimeMs)};`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
