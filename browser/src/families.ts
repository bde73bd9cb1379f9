import { createIndex, families, load } from 'annkit';
import type { AnyIndexFamily } from 'annkit';
import * as kmeansPkg from '@annkit/kmeans';
import type { Kernels, Metric } from '@annkit/core';
import { runIndexVariant } from './run-index.js';
import type { AnyIndex, IndexVariant, RunContext } from './run-index.js';
import { expect } from './checks.js';
import type { VariantReport } from './report.js';

/**
 * One row of the in-page table: a family and what to run. An entry with `missing` set reports 'missing'
 * (the test fails on that only for families in its REQUIRED_FAMILIES); an entry that runs and breaks a
 * check reports 'failed' (always a test failure).
 */
export interface FamilyEntry {
  family: string;
  /** Why the family cannot run yet (its package does not export it), if so. */
  missing?: string;
  run(ctx: RunContext): Promise<VariantReport[]>;
}

const ANN_METRICS: Metric[] = ['l2', 'cosine'];

/** A configuration by factory string: built with createIndex, read back with load, as a user would. */
interface SpecVariant {
  spec: string;
  options?: Record<string, unknown>;
  metrics: Metric[];
  search: Record<string, unknown>;
  minRecall: number;
  exactDistances?: boolean;
}

/**
 * Tuned configurations of annkit's own families (recall floors for the page's clustered 2,500 × 50 set).
 * A family without an entry, such as one added with registerFamily(), runs its descriptor's example.
 */
const TUNED: Readonly<Record<string, SpecVariant[]>> = {
  flat: [{ spec: 'Flat', metrics: ['l2', 'ip', 'cosine'], search: {}, minRecall: 1, exactDistances: true }],
  hnsw: [{ spec: 'HNSW12', options: { efConstruction: 100, seed: 11 }, metrics: ANN_METRICS, search: { efSearch: 64 }, minRecall: 0.9 }],
  ivf: [
    { spec: 'IVF32,Flat', options: { seed: 5 }, metrics: ANN_METRICS, search: { nprobe: 32 }, minRecall: 1 },
    { spec: 'IVF32,PQ10x4,Rerank', options: { niter: 8, seed: 5 }, metrics: ANN_METRICS, search: { nprobe: 8, rerank: 8 }, minRecall: 0.8 },
  ],
  sq: [
    { spec: 'SQ8,Rerank', metrics: ANN_METRICS, search: { rerank: 4 }, minRecall: 0.95 },
    { spec: 'SQfp16', metrics: ['l2'], search: {}, minRecall: 0.95 },
  ],
  pq: [{ spec: 'PQ10,Rerank', options: { niter: 6, seed: 3 }, metrics: ANN_METRICS, search: { rerank: 10 }, minRecall: 0.85 }],
  annoy: [{ spec: 'Annoy10', options: { seed: 9 }, metrics: ANN_METRICS, search: { searchK: 1000 }, minRecall: 0.8 }],
};

/** The floor of a family that has no tuned entry: results must be sound, and mostly right. */
const UNTUNED_MIN_RECALL = 0.5;

function variantsOf(family: AnyIndexFamily): SpecVariant[] {
  return TUNED[family.kind] ?? [{ spec: family.example.spec, metrics: ANN_METRICS, search: family.example.search, minRecall: UNTUNED_MIN_RECALL }];
}

function indexVariant(v: SpecVariant): IndexVariant {
  const options = v.options ?? {};
  return {
    name: Object.keys(options).length === 0 ? v.spec : `${v.spec} ${JSON.stringify(options)}`,
    metrics: v.metrics,
    create: (dim, metric, kernels) => createIndex(v.spec as string, { ...options, dim, metric, kernels }) as AnyIndex,
    load: (bytes, kernels) => load(bytes, { kernels }) as AnyIndex,
    search: v.search,
    minRecall: v.minRecall,
    exactDistances: v.exactDistances,
  };
}

function indexFamily(family: AnyIndexFamily): FamilyEntry {
  return {
    family: family.kind,
    async run(ctx) {
      const reports: VariantReport[] = [];
      for (const v of variantsOf(family).map(indexVariant)) for (const metric of v.metrics) reports.push(await runIndexVariant(ctx, family.kind, v, metric));
      return reports;
    },
  };
}

/** Every registered index family (annkit's registry), then k-means. */
export function familyEntries(): FamilyEntry[] {
  return [
    ...families().map(indexFamily),
    {
      family: 'kmeans',
      missing: typeof kmeansPkg.kmeans === 'function' ? undefined : '@annkit/kmeans does not export kmeans yet',
      async run(ctx) {
        return [runKMeans(ctx.kernels, ctx, false), runKMeans(ctx.kernels, ctx, true)];
      },
    },
  ];
}
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
