import {
  AnnkitError,
  Float32Storage,
  HeapArray,
  IdMap,
  IndexBase,
  ProgressTracker,
  Reranker,
  TopK,
  assertBatch,
  assertId,
  assertK,
  assertQueryBatch,
  assertSamples,
  assertVector,
  corrupt,
  emptyResult,
  filterPredicate,
  initialCapacityFor,
  isAnnkitError,
  optionOr,
  prepareRow,
  resolveInitialCapacity,
  squaredNorm,
  throwIfAborted,
  toBytes,
  toVector,
} from '@annkit/core';
import type { BytesInput, LongTaskOptions, QueryDistance, SearchResult, TrainableIndex, VectorInput, VectorStorage } from '@annkit/core';
import { resolveKernels } from '@annkit/wasm';
import { withRerank, writeFlatCodes } from './flat-codes-file.js';
import type { FlatCodesLayout, FlatCodesPayload } from './flat-codes-file.js';
import { FLAT_CODES_LAYOUT, decodeFlatCodes } from './flat-codes-format.js';
import { checkFlatCodesOptions, checkRerank } from './flat-codes-options.js';
import type { FlatCodesIndexOptions, FlatCodesLoadOptions, FlatCodesSearchOptions, StorageMaker } from './flat-codes-options.js';
import { SCAN_BLOCK, allowedSlots, collect, scanAll, scanSlots } from './flat-codes-scan.js';

/**
 * Flat scan over one VectorStorage: every stored vector is one row of the storage (raw floats, SQ or PQ
 * codes, ...) and a search scores the query against all of them through the storage's QueryDistance, in
 * blocks, optionally re-ranking the best k × rerank candidates exactly from kept raw vectors (FAISS's
 * IndexFlatCodes + IndexRefine). FlatIndex, SqIndex and PqIndex are this class with a storage and a file
 * format. Distances returned without rerank are the storage's (exact for float rows).
 */
export class FlatCodesIndex<S extends FlatCodesSearchOptions = FlatCodesSearchOptions, V extends VectorStorage = VectorStorage> extends IndexBase<S> implements TrainableIndex<S> {
  readonly kind: string = 'flat-codes';
  readonly keepVectors: boolean;
  /** Re-rank factor used when a search passes none (0: none). */
  readonly rerank: number;
  private readonly makeStorage: StorageMaker<V>;
  private readonly initialCapacity: number;
  private store: V;
  private distance: QueryDistance;
  /** Prepared raw rows by slot (keepVectors), and an exact distance over them. */
  private readonly raw: Float32Storage | null;
  private readonly exact: QueryDistance | null;
  protected idMap: IdMap;
  /** The prepared query (unit length under cosine); distances copy it into kernel memory when bound. */
  private readonly query: Float32Array;
  /** One prepared row on its way into the storage. */
  private readonly row: Float32Array;
  private readonly out: HeapArray<Float32Array>;
  private readonly slotBuf: HeapArray<Int32Array>;
  private readonly topk = new TopK(16);
  private readonly reranker: Reranker;

  constructor(options: FlatCodesIndexOptions<V>) {
    checkFlatCodesOptions(options, 'FlatCodesIndex');
    super(options.dim, options.metric, resolveKernels(options.kernels));
    this.keepVectors = options.keepVectors === true;
    this.rerank = checkRerank(optionOr(options.rerank, 0), this.keepVectors);
    this.makeStorage = options.storage;
    this.initialCapacity = resolveInitialCapacity(options.initialCapacity, options.dim);
    const { dim, metric, kernels } = this;
    try {
      this.store = this.makeStorage(dim, metric, kernels, this.initialCapacity);
    } catch (err) {
      // The storage's own options (quantizer type, sub-quantizers...) were rejected: give back what was taken.
      this.free();
      throw err;
    }
    this.distance = this.store.createDistance();
    this.raw = this.keepVectors ? new Float32Storage(dim, metric, kernels, { initialCapacity: this.initialCapacity }) : null;
    this.exact = this.raw?.createDistance() ?? null;
    this.idMap = new IdMap(this.initialCapacity);
    this.query = new Float32Array(dim);
    this.row = new Float32Array(dim);
    this.out = new HeapArray(Float32Array, kernels.heap, SCAN_BLOCK);
    this.slotBuf = new HeapArray(Int32Array, kernels.heap, SCAN_BLOCK);
    this.reranker = new Reranker(dim, metric, kernels);
  }

  get size(): number {
    return this.idMap.size;
  }

  /** The storage holding the rows (slot s is the s-th row). Replaced by train(). */
  get storage(): V {
    return this.store;
  }

  get isTrained(): boolean {
    return this.store.isTrained;
  }

  /** Bytes per stored row in the storage. */
  get codeSize(): number {
    return this.store.codeSize;
  }

  /** Bytes held: rows, ids, trained state and kept raw vectors (excluding spare capacity). */
  get memoryBytes(): number {
    this.live();
    return this.store.bytesUsed + this.size * 8 + (this.raw?.bytesUsed ?? 0);
  }


  /**
   * Learns the storage's encoding from n × dim sample rows (normalised first under cosine); a no-op for
   * storages that need none. Only an empty index can be (re)trained. Atomic: a fresh storage is trained and
   * swapped in, so a failure or abort leaves the index as it was.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    if (this.size > 0) throw new AnnkitError('INVALID_STATE', `train() needs an empty index; this one holds ${this.size} vectors.`);
    const { dim, metric } = this;
    const n = assertSamples(samples, dim, metric);
    const prepared = new Float32Array(samples.length);
    for (let r = 0; r < n; r++) prepareRow(metric, samples, r * dim, squaredNorm(samples, r * dim, dim), prepared, r * dim, dim);
    throwIfAborted(opts?.signal);
    const fresh = this.makeStorage(dim, metric, this.kernels, this.initialCapacity);
    try {
      fresh.train(prepared, opts);
    } catch (err) {
      fresh.free();
      throw err;
    }
    this.distance.free();
    this.store.free();
    this.store = fresh;
    this.distance = fresh.createDistance();
  }

  private requireTrained(): void {
    if (!this.store.isTrained) throw new AnnkitError('NOT_TRAINED', `This ${this.kind} index has not been trained; call train(samples) before adding vectors.`);
  }

  add(id: number, vector: VectorInput): void {
    this.live();
    const v = toVector(vector);
    this.idMap.assertAbsent(id);
    const norm = assertVector(v, this.dim, this.metric);
    this.requireTrained();
    this.appendRow(id, v, 0, norm);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    this.idMap.assertNoneStored(ids);
    this.requireTrained();
    const start = this.store.size;
    const dim = this.dim;
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      this.store.reserve(start + n);
      this.raw?.reserve(start + n);
      for (let i = 0; i < n; i++) {
        this.appendRow(ids[i]!, vectors, i * dim, squaredNorm(vectors, i * dim, dim));
        progress.tick();
      }
      progress.finish();
    } catch (err) {
      // An abort (or a throwing progress callback) rolls the whole batch back; every id of it is new.
      for (let i = 0; i < n; i++) if (this.idMap.slotOf(ids[i]!) >= start) this.idMap.delete(ids[i]!);
      this.store.truncate(start);
      this.raw?.truncate(start);
      throw err;
    }
  }

  upsert(id: number, vector: VectorInput): void {
    this.live();
    const v = toVector(vector);
    assertId(id);
    const norm = assertVector(v, this.dim, this.metric);
    this.requireTrained();
    const slot = this.idMap.slotOf(id);
    if (slot < 0) {
      this.appendRow(id, v, 0, norm);
      return;
    }
    const row = this.prepare(v, 0, norm);
    this.store.write(slot, row, 0);
    this.raw?.write(slot, row, 0);
  }

  private prepare(src: Float32Array, srcOff: number, norm: number): Float32Array {
    prepareRow(this.metric, src, srcOff, norm, this.row, 0, this.dim);
    return this.row;
  }

  private appendRow(id: number, src: Float32Array, srcOff: number, norm: number): void {
    const row = this.prepare(src, srcOff, norm);
    const slot = this.store.append(row, 0);
    this.raw?.append(row, 0);
    this.idMap.set(id, slot);
  }

  remove(id: number): boolean {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    this.raw?.swapRemove(slot);
    this.idMap.deleteSwapped(id, slot, this.store.swapRemove(slot));
    return true;
  }

  /** The raw vector when kept, otherwise the stored row decoded (normalised under cosine). */
  getVector(id: number): Float32Array {
    this.live();
    const slot = this.idMap.requireSlot(id);
    const out = new Float32Array(this.dim);
    return this.raw !== null ? this.raw.read(slot, out) : this.store.read(slot, out);
  }

  search(query: VectorInput, k: number, opts?: S): SearchResult {
    this.live();
    const q = toVector(query, 'query');
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const rerank = this.rerankFactor(opts);
    const norm = assertVector(q, this.dim, this.metric, 'query');
    prepareRow(this.metric, q, 0, norm, this.query, 0, this.dim);
    return this.searchPrepared(k, opts, filter, rerank);
  }

  searchBatch(queries: Float32Array, k: number, opts?: S): SearchResult[] {
    this.live();
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const rerank = this.rerankFactor(opts);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      const off = i * this.dim;
      prepareRow(this.metric, queries, off, squaredNorm(queries, off, this.dim), this.query, 0, this.dim);
      results.push(this.searchPrepared(k, opts, filter, rerank));
    }
    return results;
  }

  private rerankFactor(opts: S | undefined): number {
    return checkRerank(optionOr(opts?.rerank, this.rerank), this.raw !== null);
  }

  /** Searches for the prepared query in `this.query`. */
  private searchPrepared(k: number, opts: S | undefined, filter: ((id: number) => boolean) | null, rerank: number): SearchResult {
    const n = this.size;
    if (n === 0) return emptyResult();
    const topk = this.topk;
    const candidates = Math.min(rerank > 0 ? Math.ceil(k * rerank) : k, n);
    topk.reset(candidates);
    // Anything that may allocate kernel memory happens before a query is bound (binding reads views).
    if (rerank > 0) this.reranker.reserve(candidates);
    this.distance.setQuery(this.query);
    const out = this.out.view;
    const allow = opts?.filter;
    if (allow instanceof Set && allow.size * 8 < n) {
      // A small allow-list: score only its rows (gathered by slot) instead of every row.
      scanSlots(this.distance, allowedSlots(allow, this.idMap), this.slotBuf.view, out, topk);
    } else {
      scanAll(this.distance, n, out, topk, filter, this.idMap.idsBySlot);
    }
    if (rerank === 0) return collect(topk, this.idMap);
    this.exact!.setQuery(this.query);
    return collect(this.reranker.rerankWith(topk, k, this.exact!), this.idMap);
  }

  serialize(opts?: LongTaskOptions): Uint8Array {
    this.live();
    const progress = new ProgressTracker(opts, 'serialize', 1);
    const bytes = writeFlatCodes(this.fileLayout(), this.dim, this.metric, this.fileParams(), this.payload());
    progress.finish();
    return bytes;
  }

  /** The file format this index is written in (a preset keeps its own). */
  protected fileLayout(): FlatCodesLayout {
    return FLAT_CODES_LAYOUT;
  }

  /** PARM of the file, in the order its format has always written the keys. */
  protected fileParams(): Record<string, unknown> {
    const s = this.store;
    return withRerank({ format: FLAT_CODES_LAYOUT.format, count: this.size, storage: s.kind, codeSize: s.codeSize, keepVectors: this.keepVectors, trained: s.isTrained }, this.rerank);
  }

  private payload(): FlatCodesPayload {
    return { ids: this.idMap.idsBySlot.subarray(0, this.size), rows: this.store.exportRows(), state: this.store.exportState(), raw: this.raw?.exportRows() ?? null };
  }

  /**
   * Fills a new, empty index from a decoded file: state, rows, raw rows, ids (each validated by its
   * reader). On any failure the index is freed and the error is CORRUPT_DATA.
   */
  protected restore(payload: FlatCodesPayload, trained: boolean): this {
    try {
      const count = payload.ids.length;
      const idMap = IdMap.fromDense(payload.ids);
      if (payload.state !== null) this.store.importState(payload.state);
      if (this.store.isTrained !== trained) throw corrupt(`the file says the index is ${trained ? '' : 'not '}trained, its state says otherwise`);
      this.store.importRows(payload.rows, count);
      if (this.raw !== null) this.raw.importRows(payload.raw ?? new Uint8Array(0), count);
      this.idMap = idMap;
      return this;
    } catch (err) {
      this.free();
      if (isAnnkitError(err)) throw err;
      throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${String(err)}`, { cause: err });
    }
  }

  /**
   * Loads a FlatCodesIndex file. `storage` must make the storage the rows were written by (its kind and code
   * size are checked against the file); the trained state comes from the file.
   */
  static deserialize(bytes: BytesInput, options: FlatCodesLoadOptions): FlatCodesIndex {
    if (options === null || typeof options !== 'object' || typeof options.storage !== 'function') throw new AnnkitError('INVALID_ARGUMENT', 'FlatCodesIndex.deserialize needs { storage }: the storage the rows were written by.');
    const file = decodeFlatCodes(toBytes(bytes));
    const index = new FlatCodesIndex({ dim: file.dim, metric: file.metric, storage: options.storage, keepVectors: file.keepVectors, rerank: file.rerank, kernels: options.kernels, initialCapacity: initialCapacityFor(file.count, file.dim) });
    const made = index.storage;
    if (made.kind !== file.storageKind || made.codeSize !== file.codeSize) {
      index.free();
      throw corrupt(`the file holds ${file.storageKind} rows of ${file.codeSize} bytes, the storage given makes ${made.kind} rows of ${made.codeSize} bytes`);
    }
    return index.restore(file.payload, file.trained);
  }
}
