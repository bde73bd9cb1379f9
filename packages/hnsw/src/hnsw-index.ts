import {
  AnnkitError,
  IdMap,
  IndexBase,
  ProgressTracker,
  Rng,
  assertBatch,
  assertFloat32Array,
  assertId,
  assertQueryBatch,
  assertRowValues,
  assertVector,
  bytesOf,
  emptyResult,
  prepareRow,
  initialCapacityFor,
  squaredNorm,
  toBytes,
  toVector,
} from '@annkit/core';
import type { BytesInput, LongTaskOptions, QueryDistance, SearchResult, TrainableIndex, VectorInput } from '@annkit/core';
import { resolveKernels } from '@annkit/wasm';
import { Compactor } from './compact.js';
import { Reachability } from './reachability.js';
import { ExactScan } from './exact-scan.js';
import { preferExact } from './filter-plan.js';
import { decodeHnsw, encodeHnsw } from './format.js';
import type { DecodedHnsw, StoragePayload } from './format.js';
import { HnswGraph, LIVE, MAX_LEVEL, TOMBSTONE } from './graph.js';
import { IndexRows } from './index-rows.js';
import { BuildScratch, insertNode, reserveBuild } from './insert.js';
import type { BuildContext } from './insert.js';
import { LayerSearch } from './layer-search.js';
import { SearchPlan, needsTraining, planSearch, resolveOptions, storageSpec } from './options.js';
import type { HnswIndexOptions, HnswLoadOptions, HnswSearchOptions, HnswStorageKind, PqParams } from './options.js';
import { NeighborSelector } from './select-neighbors.js';
import { ExactRerank } from './rerank.js';
import { UndoLog } from './undo-log.js';

/**
 * Hierarchical Navigable Small World graph (Malkov & Yashunin 2016) over any of core's row storages: float32
 * (with hnswlib's interleaved level-0 links), fp16, SQ8 or PQ codes. The graph sees rows only through one
 * QueryDistance.
 *
 * Beyond hnswlib: remove() and upsert() work without a rebuild (tombstones route until compaction re-links
 * their neighbours and reuses their slots), filtered search picks an exact scan when the filter is selective,
 * and everything is deterministic from the seed (same operations ⇒ same bytes).
 */
export class HnswIndex extends IndexBase<HnswSearchOptions> implements TrainableIndex<HnswSearchOptions> {
  readonly kind = 'hnsw';
  readonly m: number;
  readonly efConstruction: number;
  readonly keepPrunedConnections: boolean;
  readonly maxTombstoneRatio: number;
  readonly autoCompact: boolean;
  readonly storage: HnswStorageKind;
  /** The product quantizer's settings ('pq' storage), else null. */
  readonly pq: Readonly<PqParams> | null;
  readonly keepVectors: boolean;
  /** The rerank factor of searches that give none (0: none). */
  readonly rerank: number;
  private readonly graph: HnswGraph;
  private readonly rows: IndexRows;
  /** The one distance computer over the rows: bound once per search, per insertion, per repaired node. */
  private readonly dc: QueryDistance;
  private readonly reranker: ExactRerank | null;
  protected readonly idMap: IdMap;
  private readonly rng: Rng;
  private readonly levelMult: number;
  private readonly layer: LayerSearch;
  private readonly ctx: BuildContext;
  private readonly compactor: Compactor;
  private readonly reachability = new Reachability();
  private readonly exact: ExactScan;
  /** The query or row being inserted, prepared for the metric (unit length under cosine). */
  private readonly prepared: Float32Array;
  /** Scratch for reading a stored row back (upsert's unchanged-vector check). */
  private readonly stored: Float32Array;
  private readonly plan = new SearchPlan();
  private resultDist = new Float32Array(64);
  private resultSlot = new Int32Array(64);

  constructor(options: HnswIndexOptions) {
    const o = resolveOptions(options);
    super(o.dim, o.metric, resolveKernels(options.kernels));
    this.m = o.m;
    this.efConstruction = o.efConstruction;
    this.keepPrunedConnections = o.keepPrunedConnections;
    this.maxTombstoneRatio = o.maxTombstoneRatio;
    this.autoCompact = o.autoCompact;
    this.levelMult = 1 / Math.log(o.m);
    this.rng = new Rng(o.seed);
    this.storage = o.storage;
    this.pq = o.pq;
    this.keepVectors = o.keepVectors;
    this.rerank = o.rerank;

    const kernels = this.kernels;
    this.rows = new IndexRows(o, kernels);
    this.dc = this.rows.vectors.createDistance();
    this.reranker = this.rows.raw !== null ? new ExactRerank(kernels, this.rows.raw) : null;
    this.graph = new HnswGraph(o.m, this.rows.level0, o.initialCapacity);
    this.idMap = new IdMap(o.initialCapacity);
    this.prepared = new Float32Array(o.dim);
    this.stored = new Float32Array(o.dim);
    this.layer = new LayerSearch(this.graph, kernels);
    this.ctx = {
      graph: this.graph,
      rows: this.rows,
      dc: this.dc,
      search: this.layer,
      selector: new NeighborSelector(kernels),
      efConstruction: o.efConstruction,
      keepPruned: o.keepPrunedConnections,
      scratch: new BuildScratch(kernels, this.graph.maxM0),
    };
    this.compactor = new Compactor(kernels, this.reachability);
    this.exact = new ExactScan(kernels);
  }

  /** False until train() for 'sq8' and 'pq' storage (their quantizers learn from samples); float32 and fp16 need none. */
  get isTrained(): boolean {
    return this.rows.vectors.isTrained;
  }

  /**
   * Learns the quantizer ('sq8' ranges, 'pq' codebooks) from n × dim samples, normalised first under cosine
   * like stored vectors. Only on an empty index (no slots in use); float32 and fp16 storage validate the
   * samples and ignore them.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    assertFloat32Array('samples', samples);
    const dim = this.dim;
    if (samples.length % dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${dim}.`);
    const n = samples.length / dim;
    if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'train() needs at least one sample row; got none.');
    if (!needsTraining(this.storage)) {
      for (let r = 0; r < n; r++) assertRowValues(samples, r * dim, dim, this.metric, `samples row ${r}`);
      new ProgressTracker(opts, 'train', 1).finish();
      return;
    }
    if (this.graph.slotCount > 0) throw new AnnkitError('INVALID_STATE', `train() needs an empty index; this one holds ${this.graph.slotCount} slots (compact() after removing everything).`);
    const prepared = new Float32Array(samples.length);
    for (let r = 0; r < n; r++) {
      const off = r * dim;
      const norm = assertRowValues(samples, off, dim, this.metric, `samples row ${r}`);
      prepareRow(this.metric, samples, off, norm, prepared, off, dim);
    }
    this.rows.vectors.train(prepared, opts);
  }

  private requireTrained(): void {
    if (!this.isTrained) throw new AnnkitError('NOT_TRAINED', `This ${this.storage} HnswIndex has not been trained; call train(samples) before adding vectors.`);
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
    return this.rows.bytesUsed + this.graph.memoryBytes + this.graph.slotCount * 8;
  }


  add(id: number, vector: VectorInput): void {
    this.live();
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    this.prepare(toVector(vector), 'vector');
    this.requireTrained();
    this.insertPrepared(id);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    this.live();
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
      this.rows.reserve(startSlots + n);
      for (let i = 0; i < n; i++) {
        const off = i * this.dim;
        prepareRow(this.metric, vectors, off, squaredNorm(vectors, off, this.dim), this.prepared, 0, this.dim);
        this.insertPrepared(ids[i]!);
        progress.tick();
      }
      // One pass over the links (no distances unless a node was left out) makes every new id findable.
      if (n > 0) this.reachability.relinkUnreachable(this.ctx, this.idMap.idsBySlot);
      progress.finish();
    } catch (err) {
      // An abort (or a throwing progress callback) puts everything back as it was.
      undo.restore(this.graph);
      for (const slot of undo.reusedSlots) this.rows.clear(slot);
      this.rows.truncate(startSlots);
      for (let i = 0; i < n; i++) this.idMap.delete(ids[i]!);
      this.rng.setState(rngState);
      throw err;
    } finally {
      this.graph.undo = null;
    }
  }

  upsert(id: number, vector: VectorInput): void {
    this.live();
    assertId(id);
    this.prepare(toVector(vector), 'vector');
    this.requireTrained();
    const slot = this.idMap.slotOf(id);
    if (slot >= 0) {
      if (this.storesPrepared(slot)) return;
      // The old node becomes a routing tombstone; the vector is linked in afresh at its new place.
      this.graph.bury(slot);
      this.idMap.delete(id);
    }
    this.insertPrepared(id);
    this.maybeCompact();
  }

  remove(id: number): boolean {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    this.graph.bury(slot);
    this.idMap.delete(id);
    this.maybeCompact();
    return true;
  }

  /**
   * Frees the slots of removed vectors and links every live vector again as a fresh build would, so recall
   * lost to churn comes back (it costs about as much as building the index). The compaction that runs by
   * itself when tombstones exceed maxTombstoneRatio (unless autoCompact is off) only repairs the lists that
   * linked to removed vectors: about one repair per affected node.
   */
  compact(): void {
    this.live();
    this.compactor.compact(this.ctx, this.idMap.idsBySlot, true);
  }

  getVector(id: number): Float32Array {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    return this.rows.read(slot, new Float32Array(this.dim));
  }


  search(query: VectorInput, k: number, opts?: HnswSearchOptions): SearchResult {
    this.live();
    const plan = planSearch(this.plan, k, opts, this.rerank, this.storage, this.reranker !== null);
    this.prepare(toVector(query, 'query'), 'query');
    return this.searchPrepared(plan);
  }

  searchBatch(queries: Float32Array, k: number, opts?: HnswSearchOptions): SearchResult[] {
    this.live();
    const plan = planSearch(this.plan, k, opts, this.rerank, this.storage, this.reranker !== null);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      const off = i * this.dim;
      prepareRow(this.metric, queries, off, squaredNorm(queries, off, this.dim), this.prepared, 0, this.dim);
      results.push(this.searchPrepared(plan));
    }
    return results;
  }

  /** Distance computations of the searches so far (a cost measure for tests and benchmarks). */
  get distanceComputations(): number {
    return this.layer.distanceCount;
  }

  /** Validates one vector and prepares it for the metric into `prepared`. */
  private prepare(vector: Float32Array, name: string): void {
    const norm = assertVector(vector, this.dim, this.metric, name);
    prepareRow(this.metric, vector, 0, norm, this.prepared, 0, this.dim);
  }

  /** Searches for the query in `prepared`: binds it once, walks down the levels, then the beam at level 0. */
  private searchPrepared(plan: SearchPlan): SearchResult {
    const g = this.graph;
    if (g.liveCount === 0) return emptyResult();
    const dc = this.dc;
    dc.setQuery(this.prepared);
    const ids = this.idMap.idsBySlot;
    const filter = plan.filter;
    if (filter !== null) {
      const exact = plan.strategy === 'exact' || (plan.strategy === 'auto' && preferExact(g, ids, filter, plan.allow !== null ? plan.allow.size : null, plan.ef));
      if (exact) return this.finish(plan, this.exactCandidates(filter, plan.allow, plan.want));
    }
    this.layer.descend(dc, 0);
    this.layer.search(dc, this.layer.bestSlot, this.layer.bestDist, Math.min(Math.max(plan.ef, plan.want), g.liveCount), 0, filter, ids);
    const results = this.layer.results;
    this.ensureResultRoom(results.size);
    const found = results.drainAscending(this.resultDist, this.resultSlot);
    return this.finish(plan, Math.min(found, plan.want));
  }

  /** The best `want` allowed vectors by exact scan, into resultDist/resultSlot; returns the count. */
  private exactCandidates(filter: (id: number) => boolean, allow: ReadonlySet<number> | null, want: number): number {
    const kk = Math.min(want, Math.max(1, this.graph.liveCount));
    if (allow !== null) this.exact.scanAllowList(this.dc, this.idMap, allow, kk);
    else this.exact.scanPredicate(this.dc, this.graph, this.idMap.idsBySlot, filter, kk);
    this.ensureResultRoom(this.exact.topk.size);
    return this.exact.topk.drainSorted(this.resultDist, this.resultSlot);
  }

  /** Turns the first n sorted candidates into a result of at most k, re-ranked exactly when planned. */
  private finish(plan: SearchPlan, n: number): SearchResult {
    if (plan.rerankCount > 0 && n > 0) {
      this.reranker!.reserve(n);
      this.reranker!.rerank(this.prepared, this.resultDist, this.resultSlot, n);
    }
    const k = plan.k;
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

  /** Inserts the row in `prepared` under `id`. */
  private insertPrepared(id: number): void {
    const level = this.randomLevel();
    const slot = this.graph.allocate(level);
    this.rows.write(slot, this.prepared, 0);
    this.idMap.set(id, slot);
    reserveBuild(this.ctx);
    // Bound after the write and the reservation: either may have moved the kernels' heap.
    this.dc.setQuery(this.prepared);
    const copiesPruned = this.ctx.selector.copiesPruned;
    insertNode(this.ctx, slot, level, this.idMap.idsBySlot);
    // A copy pruned from a list may have lost its last in-link. A batch relinks once at its end; a single
    // insertion relinks now (a pass over the links: only data with exact duplicates pays it).
    if (this.graph.undo === null && this.ctx.selector.copiesPruned !== copiesPruned) this.reachability.relinkUnreachable(this.ctx, this.idMap.idsBySlot);
  }

  private randomLevel(): number {
    const u = 1 - this.rng.float();
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(u) * this.levelMult));
  }

  /** Whether `slot` already stores exactly the prepared row (never for quantized rows without kept floats). */
  private storesPrepared(slot: number): boolean {
    if (!this.rows.exact) return false;
    const stored = this.rows.read(slot, this.stored);
    for (let i = 0; i < this.dim; i++) if (stored[i] !== this.prepared[i]) return false;
    return true;
  }

  private maybeCompact(): void {
    const g = this.graph;
    if (this.autoCompact && g.tombstoneCount > 0 && g.tombstoneCount > this.maxTombstoneRatio * g.liveCount) this.compactor.compact(this.ctx, this.idMap.idsBySlot, false);
  }

  serialize(opts?: LongTaskOptions): Uint8Array {
    this.live();
    const progress = new ProgressTracker(opts, 'serialize', 1);
    const bytes = encodeHnsw(this.dim, this.metric, this, this.graph, this.idMap.idsBySlot, this.rng.getState(), this.payload());
    progress.finish();
    return bytes;
  }

  /** The rows as the file holds them: float rows as VECS; a quantizer's codes and state as CODE and CDST. */
  private payload(): StoragePayload {
    const { vectors, raw } = this.rows;
    if (this.storage === 'float32') return { vectors: vectors.exportRows(), codes: null, codecState: null };
    return { vectors: raw !== null ? raw.exportRows() : null, codes: vectors.exportRows(), codecState: vectors.exportState() };
  }

  /** Loads an index from serialize() bytes (a Uint8Array, Node Buffer or ArrayBuffer). */
  static deserialize(bytes: BytesInput, options?: HnswLoadOptions): HnswIndex {
    const d = decodeHnsw(toBytes(bytes));
    const index = new HnswIndex({
      dim: d.dim,
      metric: d.metric,
      m: d.m,
      efConstruction: d.efConstruction,
      keepPrunedConnections: d.keepPrunedConnections,
      maxTombstoneRatio: d.maxTombstoneRatio,
      autoCompact: d.autoCompact,
      storage: storageSpec(d.storage, d.pq),
      keepVectors: d.keepVectors,
      rerank: d.rerank,
      kernels: options?.kernels,
      initialCapacity: initialCapacityFor(d.slots, d.dim),
    });
    try {
      index.restore(d);
    } catch (err) {
      // A quantizer state or rows that fail validation: give the half-built index's memory back at once.
      index.free();
      throw err;
    }
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
    const { vectors, raw } = this.rows;
    const floats = d.vectors !== null ? bytesOf(d.vectors) : null;
    if (d.codecState !== null && d.codecState.byteLength > 0) vectors.importState(d.codecState);
    vectors.importRows(d.codes ?? floats!, d.slots);
    if (raw !== null) raw.importRows(floats!, d.slots);
    for (let s = 0; s < d.slots; s++) if (d.state[s] === LIVE) this.idMap.set(d.ids[s]!, s);
    this.rng.setState(d.rngState);
  }
}
