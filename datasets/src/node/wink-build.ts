import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnnkitError, isAnnkitError } from '@annkit/core';
import { dedupeRows } from '../dedupe.js';
import { computeGroundTruth } from '../ground-truth.js';
import { gatherRows, splitSeeded } from '../split.js';
import { encodeFvecs, encodeIvecs } from '../vecs-write.js';
import { makeStagingDir, publishDir } from './atomic.js';
import { StageReporter } from './progress.js';
import type { ReporterOptions } from './progress.js';
import { ensureWinkTarball } from './wink-fetch.js';
import { readWinkTarball } from './wink-read.js';
import { WINK_JSON_ENTRY, WINK_PACKAGE, WINK_SPLIT_SEED, WINK_TARBALL_SHA1 } from './wink-source.js';
import type { WinkSpec } from './wink-source.js';

export interface BuildWinkOptions extends ReporterOptions {
  cacheDir: string;
  signal?: AbortSignal;
  /** Read this tarball instead of fetching the npm package (offline mirrors, tests). */
  tarball?: string;
  /** Tar member holding the JSON (default: the wink package's). */
  entry?: string;
}

/** `<cache>/datasets/<name>`: same layout as a shared dataset folder. */
export function cachedDatasetDir(cacheDir: string, name: string): string {
  return join(cacheDir, 'datasets', name);
}

/**
 * Builds a GloVe dataset from the wink npm package into the cache unless it is already there; returns
 * its folder. Pipeline: fetch (npm pack) → stream-parse → drop exact duplicates and zero vectors →
 * seeded split → exact cosine ground truth → write to a staging folder → rename into place.
 */
export async function buildWinkDataset(spec: WinkSpec, opts: BuildWinkOptions): Promise<string> {
  const dir = cachedDatasetDir(opts.cacheDir, spec.name);
  if (existsSync(join(dir, 'meta.json'))) return dir;
  const tarball = opts.tarball ?? (await ensureWinkTarball(opts.cacheDir, opts));
  let pool;
  try {
    pool = await readWinkTarball(tarball, opts);
  } catch (err) {
    if (opts.tarball || !isAnnkitError(err, 'CORRUPT_DATA')) throw err;
    // A damaged download must not poison every later run.
    await rm(tarball, { force: true });
    throw new AnnkitError('CORRUPT_DATA', `${err.message} The cached download was deleted; run again to fetch it anew.`, { cause: err });
  }
  const { dim } = pool;
  const clean = dedupeRows(pool.data, dim, { dropZero: true });
  if (clean.n < spec.nQueries + spec.nBase) {
    throw new AnnkitError('INVALID_ARGUMENT', `${spec.name} needs ${spec.nQueries + spec.nBase} vectors but the package has ${clean.n} usable ones.`);
  }
  const split = splitSeeded(clean.n, spec.nQueries, WINK_SPLIT_SEED, spec.nBase);
  const queries = gatherRows(clean.data, dim, split.queries);
  const base = gatherRows(clean.data, dim, split.base);
  pool = undefined; // let the full pool be collected before ground truth allocates its copies

  const bar = new StageReporter('groundtruth', 'ground truth', 'queries', opts);
  const gt = computeGroundTruth(base, queries, dim, 'cosine', spec.k, {
    onProgress: (e) => bar.update(e.done, e.total),
    signal: opts.signal,
  });
  bar.finish();

  const staging = await makeStagingDir(dir);
  try {
    await writeFile(join(staging, 'base.fvecs'), encodeFvecs(base, dim));
    await writeFile(join(staging, 'query.fvecs'), encodeFvecs(queries, dim));
    await writeFile(join(staging, 'groundtruth.ivecs'), encodeIvecs(gt, spec.k));
    const meta = winkMeta(spec, dim, clean.n + clean.duplicates + clean.zeros, clean.duplicates, clean.zeros, opts.tarball !== undefined);
    await writeFile(join(staging, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await publishDir(staging, dir);
  return dir;
}

function winkMeta(spec: WinkSpec, dim: number, poolSize: number, duplicates: number, zeros: number, customTarball: boolean): Record<string, unknown> {
  return {
    name: spec.name,
    metric: 'angular',
    dim,
    n: spec.nBase,
    nq: spec.nQueries,
    k: spec.k,
    source: {
      dataset: 'GloVe 6B 100d word vectors (Wikipedia 2014 + Gigaword 5), J. Pennington, R. Socher, C. D. Manning, Stanford NLP, 2014',
      package: `${WINK_PACKAGE} (npm)${customTarball ? ' — built from a caller-supplied tarball' : ''}`,
      package_file: WINK_JSON_ENTRY,
      package_tarball_sha1: customTarball ? null : WINK_TARBALL_SHA1,
    },
    license: 'PDDL-1.0 (GloVe vectors); the npm package itself is MIT',
    notes:
      `Built by @annkit/datasets. Pool = the package's ${poolSize} vectors in file order, minus ${duplicates} exact duplicates ` +
      `(first kept) and ${zeros} all-zero vectors. Split: Fisher-Yates shuffle of the pool with @annkit/core Rng(${WINK_SPLIT_SEED}) ` +
      `(xoshiro128** seeded by splitmix32); the first ${spec.nQueries} are the queries, the next ${spec.nBase} the base (shuffled order; ` +
      `every size shares the queries and a smaller base is a prefix of a larger one). Vectors stored un-normalized as float32. ` +
      `Ground truth: exact brute force on cosine distance (1 - cos) of normalized float64 copies, float64 accumulation, ties broken by smaller base id.`,
    split_seed: WINK_SPLIT_SEED,
    pool: { vectors: poolSize, duplicates_removed: duplicates, zeros_removed: zeros },
  };
}
