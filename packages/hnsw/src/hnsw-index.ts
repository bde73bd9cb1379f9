import {
  AnnkitError,
  IdMap,
  ProgressTracker,
  QueryScratch,
  Rng,
  assertBatch,
  assertFloat32Array,
  assertId,
  assertK,
  assertQueryBatch,
  assertRowValues,
  assertVector,
  emptyResult,
  filterPredicate,
  jsKernels,
  squaredNorm,
} from '@annkit/core';
import type { Kernels, LongTaskOptions, Metric, SearchResult, TrainableIndex } from '@annkit/core';
import { SqCodec } from '@annkit/sq';
import { Compactor } from './compact.js';
import { ExactScan } from './exact-scan.js';
import { preferExact } from './filter-plan.js';
import { decodeHnsw, encodeHnsw } from './format.js';
import type { DecodedHnsw, StoragePayload } from './format.js';
import { HnswGraph, LIVE, MAX_LEVEL, TOMBSTONE } from './graph.js';
import { BuildScratch, insertNode } from './insert.js';
import type { BuildContext } from './insert.js';
import { LayerSearch } from './layer-search.js';
import { resolveEf, resolveFilterStrategy, resolveOptions, resolveRerank } from './options.js';
import type { FilterStrategy, HnswIndexOptions, HnswLoadOptions, HnswSearchOptions, HnswStorageKind } from './options.js';
import { NeighborSelector } from './select-neighbors.js';
import { ExactRerank } from './rerank.js';
import { SqStorage } from './sq-storage.js';
import { SeparateLevel0 } from './level0.js';
import { FloatStorage } from './storage.js';
import type { HnswStorage } from './storage.js';
import { UndoLog } from './undo-log.js';

/**
 * Hierarchical Navigable Small World graph (Malkov & Yashunin 2016) over float32 rows or SQ8 codes.
 *
 * Beyond hnswlib: remove() and upsert() work without a rebuild (tombstones route until compaction re-links
 * their neighbours and reuses their slots), filtered search picks an exact scan when the filter is selective,
 * and everything is deterministic from the seed (same operations ⇒ same bytes).
 */
export class HnswIndex implements TrainableIndex<HnswSearchOptions> {
  readonly kind = 'hnsw';
  readonly dim: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  readonly m: number;
  readonly efConstruction: number;
  readonly keepPrunedConnections: boolean;
  readonly maxTombstoneRatio: number;
  readonly autoCompact: boolean;
  readonly storage: HnswStorageKind;
  readonly keepVectors: boolean;
  private readonly graph: HnswGraph;
  private readonly vectors: HnswStorage;
  /** The quantizer of 'sq8' storage (null for float32). */
  private readonly codec: SqCodec | null;
  private readonly reranker: ExactRerank | null;
  private readonly idMap: IdMap;
  private readonly query: QueryScratch;
  private readonly rng: Rng;
  private readonly levelMult: number;
  private readonly layer: LayerSearch;
  private readonly ctx: BuildContext;
  private readonly compactor: Compactor;
  private readonly exact: ExactScan;
  private resultDist = new Float32Array(64);
  private resultSlot = new Int32Array(64);

  /** `codec` is internal (deserialize passes the file's trained quantizer). */
  constructor(options: HnswIndexOptions, codec?: SqCodec) {
    const o = resolveOptions(options);
    this.dim = o.dim;
    this.metric = o.metric;
    this.kernels = options.kernels ?? jsKernels;
    this.m = o.m;
    this.efConstruction = o.efConstruction;
    this.keepPrunedConnections = o.keepPrunedConnections;
    this.maxTombstoneRatio = o.maxTombstoneRatio;
    this.autoCompact = o.autoCompact;
    this.levelMult = 1 / Math.log(o.m);
    this.rng = new Rng(o.seed);

    this.storage = o.storage;
    this.keepVectors = o.keepVectors;
    // Float32 rows carry the level-0 links in the same blocks; SQ8 codes keep them apart.
    if (o.storage === 'sq8') {
      this.codec = codec ?? new SqCodec({ dim: o.dim, type: 'sq8', kernels: this.kernels });
      const sq = new SqStorage(this.codec, o.metric, this.kernels, o.initialCapacity, o.keepVectors);
      this.vectors = sq;
      this.reranker = sq.raw !== null ? new ExactRerank(this.kernels, sq.raw, o.metric) : null;
      this.graph = new HnswGraph(o.m, new SeparateLevel0(2 * o.m + 1, o.initialCapacity), o.initialCapacity);
    } else {
      this.codec = null;
      const floats = new FloatStorage(o.dim, o.metric, this.kernels, o.initialCapacity, 2 * o.m + 1);
      this.vectors = floats;
      this.reranker = null;
      this.graph = new HnswGraph(o.m, floats, o.initialCapacity);
    }
    this.idMap = new IdMap(o.initialCapacity);
    this.query = new QueryScratch(o.dim, o.metric, this.kernels);
    this.layer = new LayerSearch(this.graph, this.kernels);
    this.ctx = {
      graph: this.graph,
      storage: this.vectors,
      search: this.layer,
      selector: new NeighborSelector(),
      efConstruction: o.efConstruction,
      keepPruned: o.keepPrunedConnections,
      scratch: new BuildScratch(this.kernels, this.graph.maxM0),
    };
    this.compactor = new Compactor(this.kernels);
    this.exact = new ExactScan(this.kernels);
  }

  /** False until train() for 'sq8' storage (its quantizer needs the value ranges); float32 needs no training. */
  get isTrained(): boolean {
    return this.codec === null || this.codec.isTrained;
  }

  /**
   * Learns the SQ8 value ranges from n × dim samples (normalised first under cosine, like stored vectors).
   * Only on an empty index (no slots in use); float32 storage accepts and ignores it.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    assertFloat32Array('samples', samples);
    if (samples.length % this.dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${this.dim}.`);
    const n = samples.length / this.dim;
    if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'train() needs at least one sample row; got none.');
    if (this.codec === null) {
      for (let r = 0; r < n; r++) assertRowValues(samples, r * this.dim, this.dim, this.metric, `samples row ${r}`);
      new ProgressTracker(opts, 'train', 1).finish();
      return;
    }
    if (this.graph.slotCount > 0) throw new AnnkitError('INVALID_STATE', `train() needs an empty index; this one holds ${this.graph.slotCount} slots (compact() after removing everything).`);
    const prepared = new Float32Array(samples.length);
    for (let r = 0; r < n; r++) {
      const off = r * this.dim;
      const norm = assertRowValues(samples, off, this.dim, this.metric, `samples row ${r}`);
      const scale = this.metric === 'cosine' ? 1 / Math.sqrt(norm) : 1;
      for (let i = 0; i < this.dim; i++) prepared[off + i] = samples[off + i]! * scale;
    }
    this.codec.train(prepared, opts);
  }

  private requireTrained(): void {
    if (!this.isTrained) throw new AnnkitError('NOT_TRAINED', `This sq8 HnswIndex has not been trained; call train(samples) before adding vectors.`);
  }

  /** Live vectors. */
  get size(): number {
    return this.graph.liveCount;
  }

  /** Removed vectors still routing searches until the next compaction. */
  get tombstones(): number {
    return this.graph.tombstoneCount;
  }

  /**
   * Bytes held for every slot in use (live, tombstone or free-for-reuse): rows, graph blocks and ids.
   * Spare capacity and the id → slot hash map are not counted.
   */
  get memoryBytes(): number {
    return this.vectors.bytesFor(this.graph.slotCount) + this.graph.memoryBytes + this.graph.slotCount * 8;
  }

  has(id: number): boolean {
    return this.idMap.has(id);
  }

  add(id: number, vector: Float32Array): void {
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    const norm = assertVector(vector, this.dim, this.metric);
    this.requireTrained();
    this.query.loadTrusted(vector, 0, norm);
    this.insertPrepared(id);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    for (let i = 0; i < n; i++) {
      if (this.idMap.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
    if (n > 0) this.requireTrained();
    const undo = new UndoLog(this.graph);
    const rngState = this.rng.getState();
    const startSlots = this.graph.slotCount;
    this.graph.undo = undo;
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      this.graph.reserve(startSlots + n);
      this.vectors.reserve(startSlots + n);
      for (let i = 0; i < n; i++) {
        const off = i * this.dim;
        this.query.loadTrusted(vectors, off, squaredNorm(vectors, off, this.dim));
        this.insertPrepared(ids[i]!);
        progress.tick();
      }
      progress.finish();
    } catch (err) {
      // An abort (or a throwing progress callback) puts everything back as it was.
      undo.restore(this.graph);
      for (const slot of undo.reusedSlots) this.vectors.clear(slot);
      this.vectors.truncate(startSlots);
      for (let i = 0; i < n; i++) this.idMap.delete(ids[i]!);
      this.rng.setState(rngState);
      throw err;
    } finally {
      this.graph.undo = null;
    }
  }

  upsert(id: number, vector: Float32Array): void {
    assertId(id);
    const norm = assertVector(vector, this.dim, this.metric);
    this.requireTrained();
    const row = this.query.loadTrusted(vector, 0, norm);
    const slot = this.idMap.slotOf(id);
    if (slot >= 0) {
      if (this.sameRow(slot, row)) return;
      // The old node becomes a routing tombstone; the vector is linked in afresh at its new place.
      this.graph.bury(slot);
      this.idMap.delete(id);
    }
    this.insertPrepared(id);
    this.maybeCompact();
  }

  remove(id: number): boolean {
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    this.graph.bury(slot);
    this.idMap.delete(id);
    this.maybeCompact();
    return true;
  }

  /**
   * Re-links the neighbours of every removed vector and frees their slots for reuse. Runs by itself when
   * tombstones exceed maxTombstoneRatio (unless autoCompact is off); costs about one repair per affected node.
   */
  compact(): void {
    this.compactor.compact(this.ctx, this.idMap.idsBySlot);
  }

  getVector(id: number): Float32Array {
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    return this.vectors.read(slot, new Float32Array(this.dim));
  }

  search(query: Float32Array, k: number, opts?: HnswSearchOptions): SearchResult {
    assertK(k);
    const ef = resolveEf(opts, k);
    const filter = filterPredicate(opts?.filter);
    const strategy = resolveFilterStrategy(opts);
    const rerank = this.rerankFactor(opts);
    this.query.load(query);
    return this.searchPrepared(k, ef, filter, strategy, rerank, opts);
  }

  searchBatch(queries: Float32Array, k: number, opts?: HnswSearchOptions): SearchResult[] {
    assertK(k);
    const ef = resolveEf(opts, k);
    const filter = filterPredicate(opts?.filter);
    const strategy = resolveFilterStrategy(opts);
    const rerank = this.rerankFactor(opts);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      const off = i * this.dim;
      this.query.loadTrusted(queries, off, squaredNorm(queries, off, this.dim));
      results.push(this.searchPrepared(k, ef, filter, strategy, rerank, opts));
    }
    return results;
  }

  /** Distance computations of the searches so far (a cost measure for tests and benchmarks). */
  get distanceComputations(): number {
    return this.layer.distanceCount;
  }

  private rerankFactor(opts: HnswSearchOptions | undefined): number {
    const rerank = resolveRerank(opts);
    if (rerank > 0 && this.codec !== null && this.reranker === null) throw new AnnkitError('INVALID_ARGUMENT', 'rerank needs the float vectors: create the sq8 index with keepVectors: true.');
    return this.reranker === null ? 0 : rerank;
  }

  /** Searches for the query prepared in the query scratch. */
  private searchPrepared(k: number, ef: number, filter: ((id: number) => boolean) | null, strategy: FilterStrategy, rerank: number, opts: HnswSearchOptions | undefined): SearchResult {
    const g = this.graph;
    if (g.liveCount === 0) return emptyResult();
    const dc = this.vectors.dc;
    this.vectors.bindQuery(this.query.view);
    const ids = this.idMap.idsBySlot;
    // With rerank, k × rerank candidates are found on the codes and re-scored exactly.
    const want = rerank > 0 ? Math.max(k, Math.ceil(k * rerank)) : k;
    if (filter !== null) {
      const allow = opts?.filter;
      const allowSize = allow !== undefined && typeof allow !== 'function' ? allow.size : null;
      const exact = strategy === 'exact' || (strategy === 'auto' && preferExact(g, ids, filter, allowSize, ef));
      if (exact) {
        const found = this.exactCandidates(filter, allowSize !== null ? (allow as ReadonlySet<number>) : null, want);
        return this.finish(found, k, rerank > 0);
      }
    }
    let cur = g.entryPoint;
    let curDist = Math.fround(dc.distance(cur));
    for (let l = g.maxLevel; l > 0; l--) {
      this.layer.greedy(dc, cur, curDist, l);
      cur = this.layer.bestSlot;
      curDist = this.layer.bestDist;
    }
    this.layer.search(dc, cur, curDist, Math.min(Math.max(ef, want), g.liveCount), 0, filter, ids);
    const results = this.layer.results;
    this.ensureResultRoom(results.size);
    const found = results.drainAscending(this.resultDist, this.resultSlot);
    return this.finish(Math.min(found, want), k, rerank > 0);
  }

  /** The best `want` allowed vectors by exact scan, into resultDist/resultSlot; returns the count. */
  private exactCandidates(filter: (id: number) => boolean, allow: ReadonlySet<number> | null, want: number): number {
    const dc = this.vectors.dc;
    const kk = Math.min(want, Math.max(1, this.graph.liveCount));
    if (allow !== null) this.exact.scanAllowList(dc, this.idMap, allow, kk);
    else this.exact.scanPredicate(dc, this.graph, this.idMap.idsBySlot, filter, kk);
    this.ensureResultRoom(this.exact.topk.size);
    return this.exact.topk.drainSorted(this.resultDist, this.resultSlot);
  }

  /** Turns the first n sorted candidates into a result of at most k, re-ranked exactly when asked. */
  private finish(n: number, k: number, rerank: boolean): SearchResult {
    if (rerank && this.reranker !== null && n > 0) {
      this.reranker.reserve(n);
      this.reranker.rerank(this.query.view, this.resultDist, this.resultSlot, n);
    }
    const count = Math.min(k, n);
    const ids = new Float64Array(count);
    const distances = new Float32Array(count);
    const bySlot = this.idMap.idsBySlot;
    for (let i = 0; i < count; i++) {
      ids[i] = bySlot[this.resultSlot[i]!]!;
      distances[i] = this.resultDist[i]!;
    }
    return { ids, distances };
  }

  private ensureResultRoom(n: number): void {
    if (this.resultDist.length >= n) return;
    this.resultDist = new Float32Array(Math.max(n, this.resultDist.length * 2));
    this.resultSlot = new Int32Array(this.resultDist.length);
  }

  /** Inserts the row prepared in the query scratch under `id`. */
  private insertPrepared(id: number): void {
    const level = this.randomLevel();
    const slot = this.graph.allocate(level);
    this.vectors.write(slot, this.query.view, 0);
    this.idMap.set(id, slot);
    // Re-read the view: the write may have grown the kernels' heap.
    this.vectors.bindQuery(this.query.view);
    insertNode(this.ctx, slot, level, this.idMap.idsBySlot);
  }

  private randomLevel(): number {
    const u = 1 - this.rng.float();
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(u) * this.levelMult));
  }

  /** Whether `slot` already stores exactly `row` (quantized storage compares what it would store). */
  private sameRow(slot: number, row: Float32Array): boolean {
    if (this.codec !== null && this.reranker === null) return false;
    const stored = this.vectors.read(slot, new Float32Array(this.dim));
    for (let i = 0; i < this.dim; i++) if (stored[i] !== row[i]) return false;
    return true;
  }

  private maybeCompact(): void {
    const g = this.graph;
    if (this.autoCompact && g.tombstoneCount > 0 && g.tombstoneCount > this.maxTombstoneRatio * g.liveCount) this.compact();
  }

  serialize(opts?: LongTaskOptions): Uint8Array {
    const progress = new ProgressTracker(opts, 'serialize', 1);
    const bytes = encodeHnsw(this.dim, this.metric, this, this.graph, this.idMap.idsBySlot, this.rng.getState(), this.payload());
    progress.finish();
    return bytes;
  }

  private payload(): StoragePayload {
    const slots = this.graph.slotCount;
    const vectors = this.vectors;
    if (!(vectors instanceof SqStorage)) return { vectors: vectors.exportPacked(slots), codes: null, codecState: null };
    const state = vectors.codec.exportState();
    const codecState = new Float32Array(state.scale.length + state.offset.length);
    codecState.set(state.scale);
    codecState.set(state.offset, state.scale.length);
    return { vectors: vectors.raw !== null ? vectors.exportPacked(slots) : null, codes: vectors.exportCodes(slots), codecState };
  }

  static deserialize(bytes: Uint8Array, options?: HnswLoadOptions): HnswIndex {
    const d = decodeHnsw(bytes);
    const kernels = options?.kernels ?? jsKernels;
    // An sq8 file carries its quantizer: rebuilt first (it checks the ranges), then handed to the index.
    const codec = d.storage === 'sq8' ? SqCodec.fromState({ dim: d.dim, type: 'sq8', scale: d.scale!, offset: d.offset! }, kernels) : undefined;
    const index = new HnswIndex({
      dim: d.dim,
      metric: d.metric,
      m: d.m,
      efConstruction: d.efConstruction,
      keepPrunedConnections: d.keepPrunedConnections,
      maxTombstoneRatio: d.maxTombstoneRatio,
      autoCompact: d.autoCompact,
      storage: d.storage,
      keepVectors: d.keepVectors,
      kernels,
      initialCapacity: Math.max(1, d.slots),
    }, codec);
    index.restore(d);
    return index;
  }

  private restore(d: DecodedHnsw): void {
    const g = this.graph;
    g.reserve(d.slots);
    g.slotCount = d.slots;
    g.state.set(d.state);
    g.levels.set(d.levels);
    g.loadLevel0(d.links0, d.slots);
    g.entryPoint = d.entryPoint;
    g.maxLevel = d.maxLevel;
    g.liveCount = d.live;
    let tombstones = 0;
    for (let s = 0; s < d.slots; s++) if (d.state[s] === TOMBSTONE) tombstones++;
    g.tombstoneCount = tombstones;
    // Upper regions in slot order, then the free list: exactly what settle() derives.
    g.upper = new Int32Array(Math.max(16, d.upper.length));
    g.upper.set(d.upper);
    let at = 0;
    for (let s = 0; s < d.slots; s++) {
      if (d.levels[s]! === 0) continue;
      g.upperOffset[s] = at;
      at += d.levels[s]! * g.strideUp;
    }
    g.upperUsed = at;
    g.settle();
    const vectors = this.vectors;
    if (vectors instanceof SqStorage) vectors.restore(d.slots, d.codes!, d.vectors);
    else for (let s = 0; s < d.slots; s++) vectors.write(s, d.vectors!, s * this.dim);
    for (let s = 0; s < d.slots; s++) if (d.state[s] === LIVE) this.idMap.set(d.ids[s]!, s);
    this.rng.setState(d.rngState);
  }
}
