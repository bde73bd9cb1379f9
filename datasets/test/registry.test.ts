import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAnnkitError } from '@annkit/core';
import { computeGroundTruth, findSharedDatasetsDir, listDatasets, loadDataset, recallAtK } from '../src/node/index.js';
import { naiveKnn } from './helpers.js';

const shared = findSharedDatasetsDir();
let cacheDir = '';
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'annkit-registry-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

// The real data lives outside the repo (shared/datasets beside the checkout, or $ANNKIT_DATASETS).
// CI always has it: a missing folder is a failure, not a skip.
it('finds the shared datasets folder', () => {
  expect(shared, 'shared/datasets not found beside the checkout; set ANNKIT_DATASETS').toBeTruthy();
});

describe(`registry on the shared datasets (${shared ?? 'not found'})`, () => {
  it('lists the shared datasets and the npm-built GloVe sizes', async () => {
    const all = await listDatasets({ cacheDir });
    const byName = new Map(all.map((d) => [d.name, d]));
    expect(byName.get('glove6b-100-angular')).toMatchObject({ kind: 'shared', metric: 'cosine', dim: 100, nBase: 200_000, nQueries: 10_000, gtK: 100, available: true });
    expect(byName.get('mnist10k-784-euclidean')).toMatchObject({ kind: 'shared', metric: 'l2', dim: 784, nBase: 9_000, nQueries: 1_000, gtK: 100 });
    expect(byName.get('glove-100-angular-wink-10k')).toMatchObject({ kind: 'wink', nBase: 10_000, nQueries: 1_000, available: false });
    expect(byName.has('glove-100-angular-wink-100k')).toBe(true);
  });

  it('loads glove6b-100-angular with few queries', async () => {
    const ds = await loadDataset('glove6b-100-angular', { maxQueries: 7, cacheDir, quiet: true });
    expect([ds.metric, ds.dim, ds.nBase, ds.nQueries, ds.gtK]).toEqual(['cosine', 100, 200_000, 7, 100]);
    expect([ds.base.length, ds.queries.length, ds.groundTruth.length]).toEqual([200_000 * 100, 700, 700]);
    expect(ds.source?.kind).toBe('shared');
    expect(ds.source?.license).toMatch(/PDDL/);
  });

  it('the shipped mnist ground truth equals computeGroundTruth (validates the whole reading path)', async () => {
    const ds = await loadDataset('mnist10k-784-euclidean', { maxQueries: 20, cacheDir, quiet: true });
    expect([ds.metric, ds.dim, ds.nBase, ds.nQueries, ds.gtK]).toEqual(['l2', 784, 9_000, 20, 100]);
    expect(computeGroundTruth(ds.base, ds.queries, ds.dim, ds.metric, 100)).toEqual(ds.groundTruth);
    const rows = Array.from({ length: 20 }, (_, q) => ds.groundTruth.subarray(q * 100, q * 100 + 10));
    expect(recallAtK(rows, ds.groundTruth, 100, 10)).toBe(1);
  });

  it('recomputes exact ground truth for a base prefix (maxBase) and caches it', async () => {
    const opts = { maxBase: 3_000, maxQueries: 4, cacheDir, quiet: true };
    const ds = await loadDataset('glove6b-100-angular', opts);
    expect([ds.nBase, ds.nQueries, ds.gtK]).toEqual([3_000, 4, 100]);
    expect(ds.groundTruth).toEqual(naiveKnn(ds.base, ds.queries, 100, 'cosine', 100).ids);
    let gtEvents = 0;
    const again = await loadDataset('glove6b-100-angular', { ...opts, onProgress: (e) => void (e.stage === 'groundtruth' && gtEvents++) });
    expect(gtEvents).toBe(0);
    expect(again.groundTruth).toEqual(ds.groundTruth);
  });

  it('unknown names and bad options are INVALID_ARGUMENT', async () => {
    for (const load of [() => loadDataset('nope', { cacheDir }), () => loadDataset('mnist10k-784-euclidean', { maxBase: 0, cacheDir })]) {
      const err = await load().catch((e: unknown) => e);
      expect(isAnnkitError(err, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
