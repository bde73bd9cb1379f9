import { annkitAdapter } from './annkit.js';
import type { BenchAdapter } from './types.js';

export interface AnnoyBenchParams {
  nTrees?: number;
  /** Leaf size (default: AnnoyIndex's, the padded dimension). */
  bucketSize?: number;
  seed?: number;
  /** searchK grid (default: a doubling sweep from nTrees × 10). */
  searchK?: number | number[];
  /** Base size, to end the default sweep at half of it. */
  nBase?: number;
}

/**
 * The searchK sweep: nTrees × k (the default budget for k = 10), then doublings from 250 while they stay
 * below half the base (beyond that an exact scan is as cheap), at most 64k.
 */
export function defaultSearchKs(nTrees: number, nBase = Infinity): number[] {
  const out = new Set<number>([nTrees * 10]);
  for (let s = 250; s <= Math.min(64_000, nBase / 2); s *= 2) out.add(s);
  return [...out].sort((a, b) => a - b);
}

/** annkit's Annoy-style forest: build once over the base (explicit build()), sweep searchK. */
export function annoyAdapter(params: AnnoyBenchParams = {}): BenchAdapter {
  const nTrees = params.nTrees ?? 10;
  const grid = params.searchK === undefined ? defaultSearchKs(nTrees, params.nBase) : Array.isArray(params.searchK) ? params.searchK : [params.searchK];
  return annkitAdapter({
    spec: `Annoy${nTrees}`,
    options: { bucketSize: params.bucketSize, seed: params.seed },
    grid: grid.map((searchK) => ({ searchK })),
    label: `Annoy${nTrees}${params.bucketSize !== undefined ? `,bucket${params.bucketSize}` : ''}`,
  });
}
