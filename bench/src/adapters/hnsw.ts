import { annkitAdapter } from './annkit.js';
import type { BenchAdapter } from './types.js';

export interface HnswBenchParams {
  m?: number;
  efConstruction?: number;
  /** efSearch grid (default: the same sweep as the hnswlib adapter, so curves line up). */
  efSearch?: number | number[];
  keepPrunedConnections?: number;
  seed?: number;
}

export const DEFAULT_EF_GRID = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];

/** annkit's HNSW: addBatch over the base (the build), then a sweep of efSearch. */
export function hnswAdapter(params: HnswBenchParams = {}): BenchAdapter {
  const m = params.m ?? 16;
  const efConstruction = params.efConstruction ?? 200;
  const grid = params.efSearch === undefined ? DEFAULT_EF_GRID : Array.isArray(params.efSearch) ? params.efSearch : [params.efSearch];
  const keepPruned = params.keepPrunedConnections === 1;
  return annkitAdapter({
    spec: `HNSW${m}`,
    options: { efConstruction, keepPrunedConnections: keepPruned, seed: params.seed },
    grid: grid.map((efSearch) => ({ efSearch })),
    label: `HNSW${m},efC${efConstruction}${keepPruned ? ',keepPruned' : ''}`,
  });
}
