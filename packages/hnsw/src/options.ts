import { AnnkitError, assertDim, assertK, assertMetric, assertPositiveInt, filterPredicate, optionOr, resolveInitialCapacity } from '@annkit/core';
import type { BaseIndexOptions, LoadOptions, SearchOptions } from '@annkit/core';

export interface HnswIndexOptions extends BaseIndexOptions {
  /** Links per node on the upper levels; level 0 holds 2·m. Default 16. */
  m?: number;
  /** Beam width while building. Default 200. */
  efConstruction?: number;
  /** Top neighbour lists up with the closest candidates the diversity heuristic discarded. Default false. */
  keepPrunedConnections?: boolean;
  /**
   * Removed and replaced vectors stay in the graph as routing-only tombstones until compaction re-links their
   * neighbours and frees their slots. With autoCompact (default true) that happens as soon as tombstones
   * exceed this fraction of the live vectors (default 0.1); call compact() to do it at any time.
   */
  maxTombstoneRatio?: number;
  autoCompact?: boolean;
  /**
   * How vectors are stored: 'float32' (default); 'fp16', half floats (half the memory, no training);
   * 'sq8', one byte per dimension (a quarter; call train(samples) before adding); or product quantization,
   * `{ type: 'pq', m }` (m bytes per vector; train first). The graph runs over any of them.
   */
  storage?: HnswStorageSpec;
  /** With quantized storage, keep the float rows as well, for exact `rerank` and exact getVector. Default false. */
  keepVectors?: boolean;
  /** The `rerank` factor of searches that do not give one (quantized storage with keepVectors). Default 0: none. */
  rerank?: number;
  /** Vectors to reserve room for up front (everything grows as needed). */
  initialCapacity?: number;
}

/** Product-quantized storage: m sub-quantizers of 2^nbits centroids (m must divide dim). */
export interface HnswPqStorage {
  type: 'pq';
  m: number;
  /** 8 (default: m bytes per vector) or 4 (half that). */
  nbits?: 4 | 8;
  /** k-means iterations per codebook (default 25). */
  niter?: number;
}

/** What `storage` accepts. */
export type HnswStorageSpec = 'float32' | 'fp16' | 'sq8' | HnswPqStorage;

/** The storage an index reports (`index.storage`). */
export type HnswStorageKind = 'float32' | 'fp16' | 'sq8' | 'pq';

/** PQ settings after validation. */
export interface PqParams {
  m: number;
  nbits: 4 | 8;
  niter: number;
}

export type FilterStrategy = 'auto' | 'graph' | 'exact';

export interface HnswSearchOptions extends SearchOptions {
  /** Beam width at level 0 (raised to k when smaller). Default 64. */
  efSearch?: number;
  /**
   * How a `filter` is applied. 'graph': walk the graph, letting only allowed vectors into the results;
   * 'exact': score every allowed vector; 'auto' (default): whichever is estimated to compute fewer
   * distances (exact wins for selective filters, the graph for permissive ones).
   */
  filterStrategy?: FilterStrategy;
  /**
   * With quantized storage and keepVectors: re-rank the best k × rerank candidates by their exact float
   * distance (the returned distances are then exact). 0 (default) returns code distances. Ignored for 'float32'.
   */
  rerank?: number;
}

/** Options of HnswIndex.deserialize (the kernels to compute with; default 'auto'). */
export type HnswLoadOptions = LoadOptions;

export const DEFAULT_M = 16;
export const DEFAULT_EF_CONSTRUCTION = 200;
export const DEFAULT_EF_SEARCH = 64;
export const DEFAULT_MAX_TOMBSTONE_RATIO = 0.1;
export const MAX_M = 256;
export const MAX_EF = 1 << 20;
export const MAX_RERANK = 1e6;
export const DEFAULT_PQ_NITER = 25;
export const MAX_PQ_NITER = 100_000;

/** The options after validation, with defaults applied. */
export interface ResolvedOptions {
  dim: number;
  metric: BaseIndexOptions['metric'];
  seed: number;
  m: number;
  efConstruction: number;
  keepPrunedConnections: boolean;
  maxTombstoneRatio: number;
  autoCompact: boolean;
  initialCapacity: number;
  storage: HnswStorageKind;
  /** PQ settings ('pq' storage only). */
  pq: PqParams | null;
  keepVectors: boolean;
  /** The default rerank factor of searches (0: none). */
  rerank: number;
}

export function resolveOptions(options: HnswIndexOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'HnswIndex takes an options object { dim, metric, m?, efConstruction? }.');
  assertDim(options.dim);
  assertMetric(options.metric);
  const m = optionOr(options.m, DEFAULT_M);
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 2 || m > MAX_M) throw new AnnkitError('INVALID_ARGUMENT', `m must be an integer in 2..${MAX_M}, got ${String(m)}.`);
  const efConstruction = optionOr(options.efConstruction, DEFAULT_EF_CONSTRUCTION);
  assertPositiveInt('efConstruction', efConstruction, MAX_EF);
  const seed = optionOr(options.seed, 0x5eed);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new AnnkitError('INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}.`);
  const ratio = optionOr(options.maxTombstoneRatio, DEFAULT_MAX_TOMBSTONE_RATIO);
  if (!isValidRatio(ratio)) throw new AnnkitError('INVALID_ARGUMENT', `maxTombstoneRatio must be a number in (0, 1], got ${String(ratio)}.`);
  const initialCapacity = resolveInitialCapacity(options.initialCapacity, options.dim);
  const { storage, pq } = resolveStorage(optionOr(options.storage, 'float32'), options.dim);
  const keepVectors = options.keepVectors === true;
  if (keepVectors && storage === 'float32') throw new AnnkitError('INVALID_ARGUMENT', `keepVectors applies to quantized storage ('fp16', 'sq8', 'pq'); float32 storage keeps the vectors already.`);
  const rerank = optionOr(options.rerank, 0);
  // The same rules as a search's rerank option.
  planSearch(new SearchPlan(), 1, { rerank }, 0, storage, keepVectors);
  return {
    dim: options.dim,
    metric: options.metric,
    seed,
    m,
    efConstruction,
    keepPrunedConnections: options.keepPrunedConnections === true,
    maxTombstoneRatio: ratio,
    autoCompact: options.autoCompact !== false,
    initialCapacity,
    storage,
    pq,
    keepVectors,
    rerank,
  };
}

function resolveStorage(spec: unknown, dim: number): { storage: HnswStorageKind; pq: PqParams | null } {
  if (spec === 'float32' || spec === 'fp16' || spec === 'sq8') return { storage: spec, pq: null };
  if (typeof spec === 'object' && spec !== null && (spec as HnswPqStorage).type === 'pq') return { storage: 'pq', pq: resolvePq(spec as HnswPqStorage, dim) };
  throw new AnnkitError('INVALID_ARGUMENT', `storage must be 'float32', 'fp16', 'sq8' or { type: 'pq', m }, got ${JSON.stringify(spec)}.`);
}

function resolvePq(spec: HnswPqStorage, dim: number): PqParams {
  assertPositiveInt('storage.m', spec.m, dim);
  if (dim % spec.m !== 0) throw new AnnkitError('INVALID_ARGUMENT', `storage.m = ${spec.m} must divide dim ${dim} (each sub-quantizer takes dim / m values).`);
  const nbits = spec.nbits ?? 8;
  if (nbits !== 4 && nbits !== 8) throw new AnnkitError('INVALID_ARGUMENT', `storage.nbits must be 4 or 8, got ${String(nbits)}.`);
  const niter = spec.niter ?? DEFAULT_PQ_NITER;
  assertPositiveInt('storage.niter', niter, MAX_PQ_NITER);
  return { m: spec.m, nbits, niter };
}

/** The `storage` option that recreates a storage kind (with its PQ settings). */
export function storageSpec(kind: HnswStorageKind, pq: PqParams | null): HnswStorageSpec {
  return kind === 'pq' ? { type: 'pq', m: pq!.m, nbits: pq!.nbits, niter: pq!.niter } : kind;
}

/** Whether rows of this storage can only be written after train() (float32 and fp16 need no training). */
export function needsTraining(storage: HnswStorageKind): boolean {
  return storage === 'sq8' || storage === 'pq';
}

export function isValidRatio(ratio: unknown): ratio is number {
  return typeof ratio === 'number' && ratio > 0 && ratio <= 1;
}

/** One search's options, validated, as the search runs them. Reused from search to search. */
export class SearchPlan {
  k = 1;
  /** Beam width at level 0 (efSearch raised to k). */
  ef = DEFAULT_EF_SEARCH;
  filter: ((id: number) => boolean) | null = null;
  /** The filter when it is a Set (its size steers the filter strategy). */
  allow: ReadonlySet<number> | null = null;
  strategy: FilterStrategy = 'auto';
  /** Candidates re-ranked on the kept floats: k × rerank (0: no re-ranking). */
  rerankCount = 0;
  /** Candidates to collect: k, or rerankCount. */
  want = 1;
}

/**
 * Validates a search's k and options into `plan` (INVALID_ARGUMENT on anything wrong). `rerank` defaults to
 * the index's factor; float32 storage ignores it (its distances are exact), quantized storage needs the
 * kept floats for it.
 */
export function planSearch(plan: SearchPlan, k: number, opts: HnswSearchOptions | undefined, defaultRerank: number, storage: HnswStorageKind, keepsVectors: boolean): SearchPlan {
  assertK(k);
  const ef = optionOr(opts?.efSearch, DEFAULT_EF_SEARCH);
  assertPositiveInt('efSearch', ef, MAX_EF);
  const filter = filterPredicate(opts?.filter);
  const strategy = optionOr(opts?.filterStrategy, 'auto');
  if (strategy !== 'auto' && strategy !== 'graph' && strategy !== 'exact') throw new AnnkitError('INVALID_ARGUMENT', `filterStrategy must be 'auto', 'graph' or 'exact', got ${JSON.stringify(strategy)}.`);
  const rerank = optionOr(opts?.rerank, defaultRerank);
  if (!isValidRerank(rerank)) throw new AnnkitError('INVALID_ARGUMENT', `rerank must be 0 (none) or a factor in 1..${MAX_RERANK}, got ${String(rerank)}.`);
  if (rerank > 0 && storage !== 'float32' && !keepsVectors) throw new AnnkitError('INVALID_ARGUMENT', `rerank needs the float vectors: create the ${storage} index with keepVectors: true.`);
  const allow = opts?.filter;
  plan.k = k;
  plan.ef = Math.max(ef, k);
  plan.filter = filter;
  plan.allow = filter !== null && typeof allow !== 'function' ? (allow as ReadonlySet<number>) : null;
  plan.strategy = strategy;
  plan.rerankCount = keepsVectors && rerank > 0 ? Math.max(k, Math.ceil(k * rerank)) : 0;
  plan.want = plan.rerankCount > 0 ? plan.rerankCount : k;
  return plan;
}

/** Whether a rerank factor is valid: 0 (none) or a factor in 1..MAX_RERANK. */
export function isValidRerank(r: unknown): r is number {
  return typeof r === 'number' && (r === 0 || (r >= 1 && r <= MAX_RERANK));
}
