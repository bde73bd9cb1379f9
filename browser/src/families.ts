import { FlatIndex } from '@annkit/flat';
import * as annoy from '@annkit/annoy';
import * as hnsw from '@annkit/hnsw';
import * as ivf from '@annkit/ivf';
import * as kmeansPkg from '@annkit/kmeans';
import * as pq from '@annkit/pq';
import * as sq from '@annkit/sq';
import type { Kernels, Metric } from '@annkit/core';
import { runIndexVariant } from './run-index.js';
import type { IndexVariant, RunContext } from './run-index.js';
import { expect } from './checks.js';
import type { VariantReport } from './report.js';

/**
 * One row of the in-page table: a family, the export that proves its package is implemented, and what
 * to run. An entry whose export is absent reports 'missing' (the test fails on that only for families in
 * its REQUIRED_FAMILIES); an entry that runs and breaks a check reports 'failed' (always a test failure).
 */
export interface FamilyEntry {
  family: string;
  module: Record<string, unknown>;
  exportName: string;
  run(ctx: RunContext): Promise<VariantReport[]>;
}

const ANN_METRICS: Metric[] = ['l2', 'cosine'];

function indexFamily(family: string, module: Record<string, unknown>, exportName: string, variants: () => IndexVariant[]): FamilyEntry {
  return {
    family,
    module,
    exportName,
    async run(ctx) {
      const reports: VariantReport[] = [];
      for (const v of variants()) for (const metric of v.metrics) reports.push(await runIndexVariant(ctx, family, v, metric));
      return reports;
    },
  };
}

export const FAMILIES: FamilyEntry[] = [
  indexFamily('flat', { FlatIndex }, 'FlatIndex', () => [
    {
      name: 'flat',
      metrics: ['l2', 'ip', 'cosine'],
      create: (dim, metric, kernels) => new FlatIndex({ dim, metric, kernels }),
      load: (bytes, kernels) => FlatIndex.deserialize(bytes, { kernels }),
      search: {},
      minRecall: 1,
      exactDistances: true,
    },
  ]),
  indexFamily('hnsw', hnsw, 'HnswIndex', () => [
    {
      name: 'hnsw m=12 efConstruction=100 efSearch=64',
      metrics: ANN_METRICS,
      create: (dim, metric, kernels) => new hnsw.HnswIndex({ dim, metric, kernels, m: 12, efConstruction: 100, seed: 11 }),
      load: (bytes, kernels) => hnsw.HnswIndex.deserialize(bytes, { kernels }),
      search: { efSearch: 64 },
      minRecall: 0.9,
    },
  ]),
  indexFamily('ivf', ivf, 'IvfIndex', () => [
    {
      name: 'ivf nlist=32 flat nprobe=nlist',
      metrics: ANN_METRICS,
      create: (dim, metric, kernels) => new ivf.IvfIndex({ dim, metric, kernels, nlist: 32, seed: 5 }),
      load: (bytes, kernels) => ivf.IvfIndex.deserialize(bytes, { kernels }),
      train: true,
      search: { nprobe: 32 },
      minRecall: 1,
    },
    {
      name: 'ivf nlist=32 pq m=10 nbits=4 nprobe=8 rerank=8',
      metrics: ANN_METRICS,
      create: (dim, metric, kernels) => new ivf.IvfIndex({ dim, metric, kernels, nlist: 32, codec: { type: 'pq', m: 10, nbits: 4, niter: 8 }, keepVectors: true, niter: 8, seed: 5 }),
      load: (bytes, kernels) => ivf.IvfIndex.deserialize(bytes, { kernels }),
      train: true,
      search: { nprobe: 8, rerank: 8 },
      minRecall: 0.8,
    },
  ]),
  indexFamily('sq', sq, 'SqIndex', () => [
    {
      name: 'sq8 rerank=4',
      metrics: ANN_METRICS,
      create: (dim, metric, kernels) => new sq.SqIndex({ dim, metric, kernels, type: 'sq8', keepVectors: true }),
      load: (bytes, kernels) => sq.SqIndex.deserialize(bytes, { kernels }),
      train: true,
      search: { rerank: 4 },
      minRecall: 0.95,
    },
    {
      name: 'fp16 (untrained)',
      metrics: ['l2'],
      create: (dim, metric, kernels) => new sq.SqIndex({ dim, metric, kernels, type: 'fp16' }),
      load: (bytes, kernels) => sq.SqIndex.deserialize(bytes, { kernels }),
      search: {},
      minRecall: 0.95,
    },
  ]),
  indexFamily('pq', pq, 'PqIndex', () => [
    {
      name: 'pq m=10 nbits=8 rerank=10',
      metrics: ANN_METRICS,
      create: (dim, metric, kernels) => new pq.PqIndex({ dim, metric, kernels, m: 10, nbits: 8, keepVectors: true, niter: 6, seed: 3 }),
      load: (bytes, kernels) => pq.PqIndex.deserialize(bytes, { kernels }),
      train: true,
      search: { rerank: 10 },
      minRecall: 0.85,
    },
  ]),
  indexFamily('annoy', annoy, 'AnnoyIndex', () => [
    {
      name: 'annoy nTrees=10 searchK=1000',
      metrics: ANN_METRICS,
      create: (dim, metric, kernels) => new annoy.AnnoyIndex({ dim, metric, kernels, nTrees: 10, seed: 9 }),
      load: (bytes, kernels) => annoy.AnnoyIndex.deserialize(bytes, { kernels }),
      search: { searchK: 1000 },
      minRecall: 0.8,
    },
  ]),
  {
    family: 'kmeans',
    module: kmeansPkg,
    exportName: 'kmeans',
    async run(ctx) {
      return [runKMeans(ctx.kernels, ctx, false), runKMeans(ctx.kernels, ctx, true)];
    },
  },
];

/** k-means has no index: same seed ⇒ same centroids, the objective never rises, every centroid finite. */
function runKMeans(kernels: Kernels, ctx: RunContext, spherical: boolean): VariantReport {
  const { base, dim } = ctx.data;
  const what = `kmeans${spherical ? ' spherical' : ''}`;
  const t0 = performance.now();
  const a = kmeansPkg.kmeans(base, { k: 16, dim, niter: 10, seed: 21, spherical, kernels });
  const buildMs = performance.now() - t0;
  const b = kmeansPkg.kmeans(base, { k: 16, dim, niter: 10, seed: 21, spherical, kernels });
  expect(a.k === 16 && a.centroids.length === 16 * dim, () => `${what}: expected 16 × ${dim} centroids, got k = ${a.k} (${a.centroids.length} values)`);
  expect(a.centroids.every(Number.isFinite), () => `${what}: a centroid has a non-finite value`);
  expect(a.centroids.every((x, i) => Object.is(x, b.centroids[i])), () => `${what}: the same seed gave different centroids`);
  for (let i = 1; i < a.objective.length; i++) {
    expect(a.objective[i] <= a.objective[i - 1] + 1e-6 * Math.abs(a.objective[i - 1]) + 1e-9, () => `${what}: objective rose at iteration ${i}: ${a.objective[i - 1]} → ${a.objective[i]}`);
  }
  return { variant: `${what} k=16 niter=10`, metric: spherical ? 'cosine' : 'l2', recall: NaN, bytes: a.centroids.byteLength, buildMs, searchMs: 0 };
}
