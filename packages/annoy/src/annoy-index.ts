import {
  AnnkitError,
  Float32Storage,
  IdMap,
  IndexBase,
  ProgressTracker,
  Rng,
  assertBatch,
  assertId,
  assertK,
  assertQueryBatch,
  assertVector,
  emptyResult,
  filterPredicate,
  prepareRow,
  initialCapacityFor,
  squaredNorm,
  toBytes,
  toVector,
} from '@annkit/core';
import type { BytesInput, LongTaskOptions, QueryDistance, SearchResult, VectorInput } from '@annkit/core';
import { resolveKernels } from '@annkit/wasm';
import { buildSubtree, SubtreeStack } from './build.js';
import type { BuildContext } from './build.js';
import { Forest, recordWidth } from './forest.js';
import { resolveOptions, resolveSearchK } from './options.js';
import type { AnnoyIndexOptions, AnnoyLoadOptions, AnnoySearchOptions } from './options.js';
import { decodeAnnoy, encodeAnnoy } from './persist.js';
import { RouteSpace } from './route.js';
import { ForestSearcher } from './search.js';
import type { SearchContext } from './search.js';
import { Splitter } from './splitter.js';
import { TreeUpdater } from './update.js';

/**
 * Annoy-style forest of random-projection trees that keeps accepting changes after it is built.
 *
 * Rows are added to a pending set until the forest is built, by build(), by the first search, or by
 * serialize() (so saved bytes are always searchable and reload to identical bytes). After that every add
 * descends each tree and splits leaves that overflow, and remove/upsert take the row out of its leaves;
 * nothing is ever rebuilt unless rebuild() is called. Searches walk all trees best-first by margin with one
 * priority queue, collect `searchK` distinct candidates and rank them exactly with the kernels.
 */
export class AnnoyIndex extends IndexBase<AnnoySearchOptions> {
  readonly kind = 'annoy';
  readonly nTrees: number;
  readonly bucketSize: number;
  /** Rows prepared for the metric (unit length under cosine), in slots the trees refer to. */
  private readonly store: Float32Storage;
  protected idMap: IdMap;
  /** Exact distances from the bound query to stored rows (the ranking step). */
  private readonly distance: QueryDistance;
  /** One prepared row or query, reused by every call (routing reads it in place). */
  private readonly prepared: Float32Array;
  private readonly rng: Rng;
  private readonly space: RouteSpace;
  private forest: Forest;
  private readonly splitter: Splitter;
  private readonly updater: TreeUpdater;
  private readonly searcher: ForestSearcher;
  private readonly stack = new SubtreeStack();

  constructor(options: AnnoyIndexOptions) {
    const o = resolveOptions(options);
    super(o.dim, o.metric, resolveKernels(options.kernels));
    this.nTrees = o.nTrees;
    this.bucketSize = o.bucketSize;
    this.store = new Float32Storage(this.dim, this.metric, this.kernels, { initialCapacity: o.initialCapacity });
    this.idMap = new IdMap(o.initialCapacity);
    this.distance = this.store.createDistance();
    this.prepared = new Float32Array(this.dim);
    this.rng = new Rng(o.seed);
    this.space = new RouteSpace(this.metric, this.dim);
    const width = recordWidth(this.dim, this.bucketSize);
    this.forest = Forest.empty(width, this.bucketSize);
    this.splitter = new Splitter(this.space, width);
    this.updater = new TreeUpdater(this.dim);
    this.searcher = new ForestSearcher(this.kernels.heap);
  }

  get size(): number {
    return this.store.size;
  }

  /** Whether the trees exist (otherwise rows wait for build(), the first search or serialize()). */
  get isBuilt(): boolean {
    this.live();
    return this.forest.built;
  }

  /** Bytes held for rows, ids and tree records in use (excludes spare capacity). */
  get memoryBytes(): number {
    this.live();
    return this.store.bytesUsed + this.size * 8 + this.forest.bytesUsed;
  }


  add(id: number, input: VectorInput): void {
    this.live();
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    const vector = toVector(input);
    const norm = assertVector(vector, this.dim, this.metric);
    this.forest.makeWritable();
    const slot = this.appendRow(id, vector, 0, norm);
    if (this.forest.built) this.insertIntoTrees(slot);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    for (let i = 0; i < n; i++) {
      if (this.idMap.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
    const start = this.store.size;
    const built = this.forest.built;
    const rngState = this.rng.getState();
    this.store.reserve(start + n);
    this.forest.makeWritable();
    if (built) this.forest.beginJournal();
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      for (let i = 0; i < n; i++) {
        const slot = this.appendRow(ids[i]!, vectors, i * this.dim, squaredNorm(vectors, i * this.dim, this.dim));
        if (built) this.insertIntoTrees(slot);
        progress.tick();
      }
      progress.finish();
    } catch (err) {
      // An abort (or a throwing progress callback) rolls the whole batch back, trees included.
      this.forest.rollback();
      this.rng.setState(rngState);
      for (let i = 0; i < n; i++) if (this.idMap.slotOf(ids[i]!) >= start) this.idMap.delete(ids[i]!);
      this.store.truncate(start);
      throw err;
    } finally {
      this.forest.endJournal();
    }
  }

  upsert(id: number, input: VectorInput): void {
    this.live();
    assertId(id);
    const vector = toVector(input);
    const norm = assertVector(vector, this.dim, this.metric);
    this.forest.makeWritable();
    const slot = this.idMap.slotOf(id);
    if (slot < 0) {
      const added = this.appendRow(id, vector, 0, norm);
      if (this.forest.built) this.insertIntoTrees(added);
      return;
    }
    if (this.forest.built) this.removeFromTrees(slot);
    prepareRow(this.metric, vector, 0, norm, this.prepared, 0, this.dim);
    this.store.write(slot, this.prepared, 0);
    if (this.forest.built) this.insertIntoTrees(slot);
  }

  remove(id: number): boolean {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    const last = this.store.size - 1;
    if (this.forest.built) {
      this.forest.makeWritable();
      this.removeFromTrees(slot);
      // The last row will move into the freed slot: rename it in every tree first.
      if (last !== slot) this.renameInTrees(last, slot);
    }
    const moved = this.store.swapRemove(slot);
    this.idMap.delete(id);
    if (moved >= 0) this.idMap.move(moved, slot);
    return true;
  }

  getVector(id: number): Float32Array {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    return this.store.read(slot, new Float32Array(this.dim));
  }

  /** Builds the trees over the rows added so far (no-op when built or empty). Progress phase 'build'. */
  build(opts?: LongTaskOptions): void {
    this.live();
    if (this.forest.built || this.size === 0) return;
    this.buildForest(opts);
  }

  /**
   * Rebuilds every tree from the current rows, e.g. after heavy churn or, under ip, after rows with much
   * larger norms arrived. An abort keeps the previous trees.
   */
  rebuild(opts?: LongTaskOptions): void {
    this.live();
    if (this.size === 0) {
      new ProgressTracker(opts, 'build', 0).finish();
      this.forest = Forest.empty(this.forest.width, this.bucketSize);
      return;
    }
    this.buildForest(opts);
  }

  search(input: VectorInput, k: number, opts?: AnnoySearchOptions): SearchResult {
    this.live();
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const searchK = resolveSearchK(opts, this.nTrees, k);
    const query = toVector(input, 'query');
    const norm = assertVector(query, this.dim, this.metric, 'query');
    if (this.size === 0) return emptyResult();
    if (!this.forest.built) this.buildForest(undefined);
    prepareRow(this.metric, query, 0, norm, this.prepared, 0, this.dim);
    return this.searchPrepared(k, searchK, filter, opts);
  }

  searchBatch(queries: Float32Array, k: number, opts?: AnnoySearchOptions): SearchResult[] {
    this.live();
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const searchK = resolveSearchK(opts, this.nTrees, k);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    if (this.size === 0) return Array.from({ length: n }, emptyResult);
    if (!this.forest.built) this.buildForest(undefined);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      prepareRow(this.metric, queries, i * this.dim, squaredNorm(queries, i * this.dim, this.dim), this.prepared, 0, this.dim);
      results.push(this.searchPrepared(k, searchK, filter, opts));
    }
    return results;
  }

  /** Builds pending trees first (progress phase 'build'), then writes the .annk bytes. */
  serialize(opts?: LongTaskOptions): Uint8Array {
    this.live();
    if (!this.forest.built && this.size > 0) this.buildForest(opts);
    const progress = new ProgressTracker(opts, 'serialize', 1);
    const n = this.size;
    const rows = this.store.exportRows();
    const bytes = encodeAnnoy({
      dim: this.dim,
      metric: this.metric,
      nTrees: this.nTrees,
      bucketSize: this.bucketSize,
      ids: this.idMap.idsBySlot.subarray(0, n),
      vectors: new Float32Array(rows.buffer, rows.byteOffset, rows.byteLength / 4),
      rngState: this.rng.getState(),
      maxNorm: this.space.maxNorm,
      forest: this.forest,
    });
    progress.finish();
    return bytes;
  }

  /** Loads bytes from serialize() (Uint8Array, Buffer or ArrayBuffer); the trees are read in place (see AnnoyLoadOptions.copy). */
  static deserialize(bytes: BytesInput, options?: AnnoyLoadOptions): AnnoyIndex {
    const state = decodeAnnoy(toBytes(bytes), options?.copy ?? false);
    const n = state.ids.length;
    const idMap = IdMap.fromDense(state.ids);
    const index = new AnnoyIndex({
      dim: state.dim,
      metric: state.metric,
      nTrees: state.nTrees,
      bucketSize: state.bucketSize,
      kernels: options?.kernels,
      initialCapacity: initialCapacityFor(n, state.dim),
    });
    // Rows were stored prepared; the storage checks them against the metric (finite, unit under cosine).
    index.store.importRows(new Uint8Array(state.vectors.buffer, state.vectors.byteOffset, n * state.dim * 4), n);
    index.idMap = idMap;
    index.rng.setState(state.rngState);
    index.space.maxNorm = state.maxNorm;
    index.forest = state.forest;
    return index;
  }

  /** Gives back the kernel-heap blocks (rows, query, search scratch) and drops the trees. */
  override free(): void {
    super.free();
    this.forest = Forest.empty(this.forest.width, this.bucketSize);
  }

  /** Searches with the query already prepared in `this.prepared`. */
  private searchPrepared(k: number, searchK: number, filter: ((id: number) => boolean) | null, opts: AnnoySearchOptions | undefined): SearchResult {
    const ctx: SearchContext = {
      forest: this.forest,
      query: this.prepared,
      size: this.size,
      dim: this.dim,
      idsBySlot: this.idMap.idsBySlot,
      filter,
    };
    const keep = Math.min(k, this.size);
    const allow = opts?.filter;
    let n: number;
    if (allow !== undefined && typeof allow !== 'function' && allow.size <= searchK) {
      // An allow-list no larger than the candidate budget: rank it directly, exactly.
      n = this.allowedSlots(allow);
    } else {
      n = this.searcher.collect(ctx, this.space.queryExtra, searchK);
    }
    this.searcher.rank(this.distance, this.prepared, n, keep);
    const topk = this.searcher.topk;
    const count = topk.size;
    const distances = new Float32Array(count);
    const slots = new Int32Array(count);
    topk.drainSorted(distances, slots);
    const ids = new Float64Array(count);
    for (let i = 0; i < count; i++) ids[i] = this.idMap.idOf(slots[i]!);
    return { ids, distances };
  }

  private allowedSlots(allow: ReadonlySet<number>): number {
    const slots = new Int32Array(allow.size);
    let n = 0;
    for (const id of allow) {
      const slot = typeof id === 'number' ? this.idMap.slotOf(id) : -1;
      if (slot >= 0) slots[n++] = slot;
    }
    this.searcher.setCandidates(slots, n);
    return n;
  }

  private appendRow(id: number, src: Float32Array, srcOff: number, norm: number): number {
    prepareRow(this.metric, src, srcOff, norm, this.prepared, 0, this.dim);
    const slot = this.store.append(this.prepared, 0);
    this.idMap.set(id, slot);
    return slot;
  }

  private context(extraBySlot: Float64Array | null, progress: ProgressTracker | null, forest = this.forest): BuildContext {
    return { forest, splitter: this.splitter, rows: this.store.data, stride: this.store.stride, extraBySlot, rng: this.rng, progress };
  }

  private insertIntoTrees(slot: number): void {
    const ctx = this.context(null, null);
    const t = this.space.rowExtra(ctx.rows, slot * ctx.stride);
    for (let tree = 0; tree < this.nTrees; tree++) this.updater.insert(ctx, tree, slot, t);
  }

  private removeFromTrees(slot: number): void {
    const rows = this.store.data;
    const off = slot * this.store.stride;
    const t = this.space.rowExtra(rows, off);
    for (let tree = 0; tree < this.nTrees; tree++) {
      if (!this.updater.remove(this.forest, tree, slot, rows, off, t)) throw inconsistent(slot, tree);
    }
  }

  private renameInTrees(from: number, to: number): void {
    const rows = this.store.data;
    const off = from * this.store.stride;
    const t = this.space.rowExtra(rows, off);
    for (let tree = 0; tree < this.nTrees; tree++) {
      if (!this.updater.rename(this.forest, tree, from, to, rows, off, t)) throw inconsistent(from, tree);
    }
  }

  /** One-shot build of every tree into a new forest, swapped in only when complete. */
  private buildForest(opts: LongTaskOptions | undefined): void {
    const n = this.size;
    const progress = new ProgressTracker(opts, 'build', this.nTrees * n);
    const rngState = this.rng.getState();
    const previousNorm = this.space.maxNorm;
    try {
      const rows = this.store.data;
      const stride = this.store.stride;
      if (this.space.lifted) this.space.maxNorm = RouteSpace.maxNormOf(rows, stride, n, this.dim);
      let extras: Float64Array | null = null;
      if (this.space.lifted) {
        extras = new Float64Array(n);
        for (let s = 0; s < n; s++) extras[s] = this.space.rowExtra(rows, s * stride);
      }
      // About 3n / bucketSize records per tree: leaves end up between half and fully filled.
      const forest = Forest.empty(this.forest.width, this.bucketSize, this.nTrees * (Math.ceil((3 * n) / this.bucketSize) + 1));
      const roots = new Int32Array(this.nTrees);
      const slots = new Int32Array(n);
      const ctx = this.context(extras, progress, forest);
      for (let tree = 0; tree < this.nTrees; tree++) {
        for (let s = 0; s < n; s++) slots[s] = s;
        roots[tree] = forest.alloc();
        buildSubtree(ctx, roots[tree]!, slots, 0, n, this.stack);
      }
      forest.roots = roots;
      forest.trim();
      progress.finish();
      this.forest = forest;
    } catch (err) {
      this.rng.setState(rngState);
      this.space.maxNorm = previousNorm;
      throw err;
    }
  }
}

function inconsistent(slot: number, tree: number): AnnkitError {
  return new AnnkitError('INVALID_STATE', `Internal error: slot ${slot} is missing from tree ${tree}. Please report this with the operations that led to it.`);
}
