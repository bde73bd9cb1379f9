import {
  AnnkitError,
  HeapArray,
  IdMap,
  IndexBase,
  ProgressTracker,
  Reranker,
  TopK,
  VectorStore,
  assertBatch,
  assertId,
  assertK,
  assertQueryBatch,
  assertSamples,
  assertVector,
  emptyResult,
  filterPredicate,
  isAnnkitError,
  paddedStride,
  prepareRow,
  prepareRows,
  throwIfAborted,
  toBytes,
  toVector,
} from '@annkit/core';
import type { BytesInput, LongTaskOptions, SearchResult, TrainableIndex, VectorInput } from '@annkit/core';
import { assertBoundedRows, assertStoredRows } from '@annkit/core';
import { resolveKernels } from '@annkit/wasm';
import { CoarseQuantizer } from './coarse.js';
import { createListCodec } from './codec-factory.js';
import { InvertedLists } from './inverted-lists.js';
import { constructorOptions, decodeIvf, encodeIvf } from './ivf-format.js';
import type { IvfData, IvfListsData } from './ivf-format.js';
import { APPEND_BLOCK, SCAN_BLOCK, appendBlockRows } from './list-codec.js';
import type { ListCodec } from './list-codec.js';
import { resolveIvfOptions, resolveSearchParams } from './options.js';
import type { IvfIndexOptions, IvfLoadOptions, IvfSearchOptions, ResolvedIvfOptions } from './options.js';
import { progressSpan } from './progress-span.js';

/**
 * Inverted-file index (FAISS's IVF): a coarse quantizer of `nlist` k-means centroids, one inverted list per
 * centroid holding ids + vectors in a codec (flat floats, SQ or PQ codes of the residual), and a search
 * that scans the `nprobe` lists nearest the query. Train first (train(samples)); add, upsert and remove
 * work at any time afterwards (list append / swap-remove). With the flat codec and nprobe = nlist the
 * search is exact. Optional exact re-ranking from kept raw vectors (keepVectors + rerank).
 */
export class IvfIndex extends IndexBase<IvfSearchOptions> implements TrainableIndex<IvfSearchOptions> {
  readonly kind = 'ivf';
  /** @internal resolved construction options (read by describe() and the serializer). */
  readonly options: ResolvedIvfOptions;
  /** @internal */
  coarse: CoarseQuantizer;
  /** @internal */
  codec: ListCodec;
  /** @internal null until trained. */
  lists: InvertedLists | null = null;
  /** @internal */
  idMap: IdMap;
  /** @internal list and position of each slot's entry. */
  slotList = new Int32Array(64);
  /** @internal */
  slotPos = new Int32Array(64);
  /** @internal raw vectors by slot (keepVectors). */
  readonly raw: VectorStore | null;
  /** Notes from the last training (e.g. nlist reduced to the number of samples). */
  trainWarnings: string[] = [];
  /** The prepared query (padded, in the kernels' heap). */
  private readonly queryBuf: HeapArray<Float32Array>;
  /** Prepared rows of one add block (padded). */
  private readonly rowBuf: HeapArray<Float32Array>;
  private readonly outBuf: HeapArray<Float32Array>;
  private readonly assignIdx: HeapArray<Int32Array>;
  private readonly assignDist: HeapArray<Float32Array>;
  /** List and position in it of each row of an insert block (outside the heap, which may grow meanwhile). */
  /** Rows per append block (fewer than APPEND_BLOCK for very wide rows). */
  private readonly appendBlock: number;
  private readonly listOf = new Int32Array(APPEND_BLOCK);
  private readonly listPos = new Int32Array(APPEND_BLOCK);
  private probeLists = new Int32Array(16);
  private readonly topk = new TopK(16);
  private readonly reranker: Reranker;

  constructor(options: IvfIndexOptions) {
    const o = resolveIvfOptions(options);
    super(o.dim, o.metric, resolveKernels(options.kernels));
    this.options = o;
    const kernels = this.kernels;
    this.coarse = new CoarseQuantizer(o.dim, o.metric, kernels);
    this.codec = createListCodec(o, kernels);
    this.idMap = new IdMap(64);
    this.raw = o.keepVectors ? new VectorStore(o.dim, kernels.heap, 64) : null;
    const stride = paddedStride(o.dim);
    this.queryBuf = new HeapArray(Float32Array, kernels.heap, stride);
    this.appendBlock = appendBlockRows(stride);
    this.rowBuf = new HeapArray(Float32Array, kernels.heap, this.appendBlock * stride);
    this.outBuf = new HeapArray(Float32Array, kernels.heap, SCAN_BLOCK);
    this.assignIdx = new HeapArray(Int32Array, kernels.heap, APPEND_BLOCK);
    this.assignDist = new HeapArray(Float32Array, kernels.heap, APPEND_BLOCK);
    this.reranker = new Reranker(o.dim, o.metric, kernels);
  }

  get size(): number {
    return this.idMap.size;
  }

  /** The re-rank factor a search uses when it passes none (0 = none); the `rerank` constructor option. */
  get rerank(): number {
    return this.options.rerank;
  }

  /** Lists actually trained (≤ the requested nlist when there were fewer training samples). */
  get nlist(): number {
    return this.coarse.nlist;
  }

  get isTrained(): boolean {
    return this.lists !== null && this.codec.isTrained;
  }

  /** Bytes per stored vector in the lists (floats or codes), excluding ids and kept raw vectors. */
  get codeSize(): number {
    return this.codec.codeSize;
  }

  /** Bytes held: centroids, codec state, list rows + slots, ids, slot maps and kept raw vectors. */
  get memoryBytes(): number {
    this.live();
    const n = this.size;
    const rows = this.lists === null ? 0 : this.lists.total * (this.codeSize + 4);
    return this.coarse.bytesUsed + this.codec.stateSize + rows + n * (8 + 8) + (this.raw?.bytesUsed ?? 0);
  }


  /**
   * Trains the coarse quantizer (k-means, nlist centroids) and the codec (on residuals) from n × dim rows.
   * Fewer samples than nlist reduces nlist to the number of samples (see trainWarnings). Only an empty
   * index can be (re)trained. Atomic: an abort leaves the index as it was.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    if (this.size > 0) throw new AnnkitError('INVALID_STATE', `train() needs an empty index; this one holds ${this.size} vectors. Create a new index to retrain.`);
    const n = assertSamples(samples, this.dim, this.metric);
    throwIfAborted(opts?.signal);
    const dim = this.dim;
    const prepared = new Float32Array(samples);
    prepareRows(this.metric, prepared, 0, n, dim, prepared, 0, dim);
    const o = this.options;
    const codecNeedsTraining = o.codec === 'sq8' || o.codec === 'sq4' || o.codec === 'pq';
    const coarseEnd = codecNeedsTraining ? 600 : 1000;
    const coarse = new CoarseQuantizer(dim, this.metric, this.kernels);
    const codec = createListCodec(o, this.kernels);
    let warnings: string[];
    try {
      const trained = coarse.train(prepared, o.nlist, { niter: o.niter, seed: o.seed, maxPointsPerCentroid: o.maxPointsPerCentroid, ...progressSpan(opts, 0, coarseEnd) });
      coarse.setCentroids(trained.centroids, trained.nlist);
      warnings = trained.warnings;
      if (codecNeedsTraining) {
        const codecSamples = codec.byResidual ? coarse.residuals(prepared, n) : prepared;
        codec.train(codecSamples, progressSpan(opts, coarseEnd, 1000));
      }
    } catch (err) {
      coarse.free();
      codec.free();
      throw err;
    }
    this.lists?.free();
    this.coarse.free();
    this.codec.free();
    this.coarse = coarse;
    this.codec = codec;
    this.createLists();
    this.trainWarnings = warnings;
  }

  /** Empty lists for the trained coarse quantizer and codec (replacing any). */
  private createLists(): void {
    this.lists?.free();
    this.codec.prepareLists?.(this.coarse);
    this.lists = new InvertedLists(this.coarse.nlist, this.codec);
  }

  private requireTrained(): void {
    if (!this.isTrained) throw new AnnkitError('NOT_TRAINED', 'This IvfIndex has not been trained; call train(samples) before adding vectors.');
  }

  add(id: number, vector: VectorInput): void {
    this.live();
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    const v = toVector(vector);
    const norm = assertVector(v, this.dim, this.metric);
    this.requireTrained();
    this.insertOne(id, v, norm);
  }

  upsert(id: number, vector: VectorInput): void {
    this.live();
    assertId(id);
    const v = toVector(vector);
    const norm = assertVector(v, this.dim, this.metric);
    this.requireTrained();
    // The vector may belong to another list now: remove the old entry, then insert afresh.
    if (this.idMap.has(id)) this.removeSlot(this.idMap.slotOf(id), id);
    this.insertOne(id, v, norm);
  }

  private insertOne(id: number, vector: Float32Array, norm: number): void {
    this.reserveSlots(this.size + 1);
    prepareRow(this.metric, vector, 0, norm, this.rowBuf.view, 0, this.dim);
    this.insertBlock([id], 0, 1, null);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    for (let i = 0; i < n; i++) {
      if (this.idMap.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
    this.requireTrained();
    const start = this.size;
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      this.reserveSlots(start + n);
      for (let b = 0; b < n; b += this.appendBlock) {
        const count = Math.min(this.appendBlock, n - b);
        prepareRows(this.metric, vectors, b * this.dim, count, this.dim, this.rowBuf.view, 0, paddedStride(this.dim));
        this.insertBlock(ids, b, count, progress);
      }
      progress.finish();
    } catch (err) {
      this.rollback(start);
      throw err;
    }
  }

  /**
   * Adds the `count` prepared rows in rowBuf under ids[idOff ..] (new ids; slot room reserved): assigns them
   * to lists, appends them there (one codec call for the block) and records their slots.
   */
  private insertBlock(ids: ArrayLike<number>, idOff: number, count: number, progress: ProgressTracker | null): void {
    const lists = this.lists!;
    const stride = paddedStride(this.dim);
    const listOf = this.listOf;
    this.coarse.assign(this.rowBuf.view, 0, stride, count, this.assignIdx.view, this.assignDist.view);
    listOf.set(this.assignIdx.view.subarray(0, count));
    // reserveFor() may grow the kernels' memory: every heap view is read after it.
    lists.reserveFor(listOf, count);
    const pos = this.listPos;
    const rows = this.rowBuf.view;
    this.codec.appendBlock(lists.storages, rows, stride, count, listOf, this.coarse.centroids, this.coarse.stride, pos);
    for (let r = 0; r < count; r++) {
      const slot = this.size;
      const list = listOf[r]!;
      lists.setSlot(list, pos[r]!, slot);
      this.slotList[slot] = list;
      this.slotPos[slot] = pos[r]!;
      this.idMap.set(ids[idOff + r]!, slot);
      this.raw?.append(rows, r * stride);
    }
    // Ticks last: an abort (thrown by tick) finds the whole block recorded, so the rollback undoes all of it.
    if (progress !== null) for (let r = 0; r < count; r++) progress.tick();
  }

  /** Undoes every insertion at slots ≥ start (newest first, so each entry is its list's last). */
  private rollback(start: number): void {
    const lists = this.lists!;
    for (let slot = this.size - 1; slot >= start; slot--) {
      lists.removeAt(this.slotList[slot]!, this.slotPos[slot]!);
      this.idMap.delete(this.idMap.idOf(slot));
    }
    this.raw?.truncate(start);
  }

  /** Room for n slots in the slot maps and the raw vectors (so inserting never grows them midway). */
  private reserveSlots(n: number): void {
    this.raw?.reserve(n);
    if (n <= this.slotList.length) return;
    const cap = Math.max(n, Math.ceil(this.slotList.length * 1.5));
    const list = new Int32Array(cap);
    list.set(this.slotList);
    const pos = new Int32Array(cap);
    pos.set(this.slotPos);
    this.slotList = list;
    this.slotPos = pos;
  }

  remove(id: number): boolean {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    this.removeSlot(slot, id);
    return true;
  }

  private removeSlot(slot: number, id: number): void {
    const lists = this.lists!;
    const list = this.slotList[slot]!;
    const pos = this.slotPos[slot]!;
    const movedInList = lists.removeAt(list, pos);
    if (movedInList >= 0) this.slotPos[movedInList] = pos;
    // Keep slots dense: the last slot takes the freed number.
    const last = this.size - 1;
    this.idMap.delete(id);
    if (slot !== last) {
      this.idMap.move(last, slot);
      const lastList = this.slotList[last]!;
      const lastPos = this.slotPos[last]!;
      this.slotList[slot] = lastList;
      this.slotPos[slot] = lastPos;
      lists.setSlot(lastList, lastPos, slot);
    }
    this.raw?.swapRemove(slot);
  }

  getVector(id: number): Float32Array {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    const out = new Float32Array(this.dim);
    if (this.raw !== null) return this.raw.read(slot, out);
    const list = this.slotList[slot]!;
    this.codec.read(this.lists!.storage(list), this.slotPos[slot]!, this.coarse.centroids, list * this.coarse.stride, out, 0);
    return out;
  }

  search(query: VectorInput, k: number, opts?: IvfSearchOptions): SearchResult {
    this.live();
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const [nprobe, rerank] = this.searchParams(opts);
    const v = toVector(query, 'query');
    const norm = assertVector(v, this.dim, this.metric, 'query');
    prepareRow(this.metric, v, 0, norm, this.queryBuf.view, 0, this.dim);
    return this.searchPrepared(k, filter, nprobe, rerank);
  }

  searchBatch(queries: Float32Array, k: number, opts?: IvfSearchOptions): SearchResult[] {
    this.live();
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const [nprobe, rerank] = this.searchParams(opts);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const dim = this.dim;
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      prepareRows(this.metric, queries, i * dim, 1, dim, this.queryBuf.view, 0, dim);
      results.push(this.searchPrepared(k, filter, nprobe, rerank));
    }
    return results;
  }

  /** The pair (nprobe, rerank factor): the search's own, else the index's default factor. */
  private searchParams(opts: IvfSearchOptions | undefined): [number, number] {
    const params = resolveSearchParams(opts, this.options.rerank);
    if (params[1] > 0 && this.raw === null && this.codec.type !== 'flat') {
      throw new AnnkitError('INVALID_ARGUMENT', 'rerank needs the raw vectors: create the index with keepVectors: true.');
    }
    return params;
  }

  /** Searches for the prepared query in queryBuf. */
  private searchPrepared(k: number, filter: ((id: number) => boolean) | null, nprobe: number, rerank: number): SearchResult {
    const lists = this.lists;
    const size = this.size;
    if (lists === null || size === 0) return emptyResult();
    const q = this.queryBuf.view;
    const take = Math.min(nprobe, this.coarse.nlist);
    if (this.probeLists.length < take) this.probeLists = new Int32Array(take);
    const probed = this.coarse.probe(q, nprobe, this.probeLists);
    const useRerank = rerank > 0 && this.raw !== null;
    const want = Math.min(useRerank ? Math.ceil(k * rerank) : k, size);
    const topk = this.topk;
    topk.reset(want);
    const codec = this.codec;
    codec.beginQuery(q);
    const coarseRaw = this.coarse.rawScores;
    const centroids = this.coarse.centroids;
    const cStride = this.coarse.stride;
    const idsBySlot = this.idMap.idsBySlot;
    const out = this.outBuf.view;
    for (let p = 0; p < probed; p++) {
      const list = this.probeLists[p]!;
      const n = lists.size(list);
      if (n === 0) continue;
      codec.beginList(lists.storage(list), list, centroids, list * cStride, coarseRaw[list]!);
      const slots = lists.slots(list);
      for (let start = 0; start < n; start += SCAN_BLOCK) {
        const count = Math.min(SCAN_BLOCK, n - start);
        codec.scan(start, count, out);
        let threshold = topk.threshold;
        for (let j = 0; j < count; j++) {
          const d = out[j]!;
          if (d > threshold) continue;
          const slot = slots[start + j]!;
          if (filter !== null && !filter(idsBySlot[slot]!)) continue;
          if (topk.push(d, slot)) threshold = topk.threshold;
        }
      }
    }
    if (!useRerank) return this.collect(topk);
    // reserve() may replace the kernels' memory: read the query view after it.
    this.reranker.reserve(topk.size);
    return this.collect(this.reranker.rerank(topk, k, this.queryBuf.view, this.raw!));
  }

  private collect(topk: TopK): SearchResult {
    const count = topk.size;
    const distances = new Float32Array(count);
    const slots = new Int32Array(count);
    topk.drainSorted(distances, slots);
    const ids = new Float64Array(count);
    for (let i = 0; i < count; i++) ids[i] = this.idMap.idOf(slots[i]!);
    return { ids, distances };
  }

  serialize(opts?: LongTaskOptions): Uint8Array {
    this.live();
    const n = this.size;
    return encodeIvf({ options: this.options, ids: this.idMap.idsBySlot.subarray(0, n), lists: this.exportLists(), raw: this.raw?.exportPacked() ?? null }, opts);
  }

  /** The lists, list after list, as the file holds them (null while untrained). */
  private exportLists(): IvfListsData | null {
    const lists = this.lists;
    if (lists === null) return null;
    const sizes = new Uint32Array(lists.nlist);
    const slots = new Int32Array(this.size);
    const rows = new Uint8Array(this.size * this.codeSize);
    let e = 0;
    for (let l = 0; l < lists.nlist; l++) {
      const size = lists.size(l);
      sizes[l] = size;
      slots.set(lists.slots(l).subarray(0, size), e);
      rows.set(lists.storage(l).exportRows(), e * this.codeSize);
      e += size;
    }
    return { centroids: this.coarse.exportPacked(), sizes, slots, rows, state: this.codec.saveState() };
  }

  /** Loads bytes from serialize(): a Uint8Array, Node Buffer or ArrayBuffer. */
  static deserialize(bytes: BytesInput, options?: IvfLoadOptions): IvfIndex {
    const data = decodeIvf(toBytes(bytes));
    const index = new IvfIndex({ ...constructorOptions(data.options), kernels: options?.kernels });
    try {
      index.restore(data);
      return index;
    } catch (err) {
      index.free();
      if (isAnnkitError(err)) throw err;
      throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${String(err)}`, { cause: err });
    }
  }

  /** Fills a new index from decoded data; row values are validated by the storages (CORRUPT_DATA). */
  private restore(d: IvfData): void {
    this.idMap = IdMap.fromDense(d.ids);
    const count = d.ids.length;
    this.reserveSlots(count);
    if (d.lists !== null) this.restoreLists(d.lists, count);
    if (d.raw !== null) {
      // Kept rows were stored prepared: finite, and unit length under cosine.
      assertStoredRows(d.raw, count, this.dim, this.metric);
      for (let s = 0; s < count; s++) this.raw!.append(d.raw, s * this.dim);
    }
  }

  private restoreLists(d: IvfListsData, count: number): void {
    const nlist = d.sizes.length;
    this.codec.loadState(d.state);
    // Centroids are means of stored rows: a larger one would overflow the residual distances.
    assertBoundedRows(d.centroids, nlist, this.dim, 'centroid');
    this.coarse.setCentroids(d.centroids, nlist);
    this.createLists();
    const codeSize = this.codec.codeSize;
    if (d.rows.byteLength !== count * codeSize) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: section "LROW" holds ${d.rows.byteLength} bytes, expected ${count * codeSize}.`);
    const lists = this.lists!;
    let e = 0;
    for (let l = 0; l < nlist; l++) {
      const size = d.sizes[l]!;
      lists.reserve(l, size);
      lists.storage(l).importRows(d.rows.subarray(e * codeSize, (e + size) * codeSize), size);
      for (let p = 0; p < size; p++, e++) {
        const slot = d.slots[e]!;
        lists.setSlot(l, p, slot);
        this.slotList[slot] = l;
        this.slotPos[slot] = p;
      }
    }
  }
}
