import {
  AnnkitError,
  HeapArray,
  IdMap,
  ProgressTracker,
  QueryScratch,
  TopK,
  VectorStore,
  assertBatch,
  assertFloat32Array,
  assertId,
  assertK,
  assertMetric,
  assertDim,
  assertQueryBatch,
  assertRowValues,
  assertVector,
  emptyResult,
  filterPredicate,
  jsKernels,
  paddedStride,
  throwIfAborted,
  CodeStore,
  Reranker,
} from '@annkit/core';
import type { BaseIndexOptions, Kernels, LongTaskOptions, Metric, SearchOptions, SearchResult, TrainableIndex } from '@annkit/core';
import { SQ_TYPES, SqCodec } from './sq-codec.js';
import type { SqType } from './sq-codec.js';
// A cycle by design: the format module builds SqIndex instances, the class delegates (de)serialisation to it.
import { deserializeSq, serializeSq } from './sq-format.js';

export interface SqIndexOptions extends BaseIndexOptions {
  /** 'sq8' (default, dim bytes per vector), 'sq4' (dim / 2) or 'fp16' (2 × dim, needs no training). */
  type?: SqType;
  /** Keep the raw float vectors as well, for exact `rerank` (costs 4 × dim bytes per vector). Default false. */
  keepVectors?: boolean;
  /** Distance kernels (default: core's TypeScript kernels; pass `await loadKernels()` from @annkit/wasm for SIMD). */
  kernels?: Kernels;
  /** Vectors to reserve room for up front. */
  initialCapacity?: number;
}

export interface SqSearchOptions extends SearchOptions {
  /** Re-rank k × rerank code-ranked candidates by exact distance to the raw vectors (needs keepVectors). */
  rerank?: number;
}

/** Codes scored per kernel call. */
const BLOCK = 1024;

/**
 * Flat scan over scalar-quantized codes: every stored vector is one SQ code and a search scores the float
 * query against all of them (asymmetric distance), optionally re-ranking the best k × rerank candidates
 * exactly from kept raw vectors. Train the quantizer's ranges first (fp16 needs no training).
 * Distances returned without rerank are the approximate code distances.
 */
export class SqIndex implements TrainableIndex<SqSearchOptions> {
  readonly kind = 'sq';
  readonly dim: number;
  readonly metric: Metric;
  readonly type: SqType;
  readonly kernels: Kernels;
  readonly keepVectors: boolean;
  /** @internal */
  codec: SqCodec;
  /** @internal */
  readonly store: CodeStore;
  /** @internal */
  readonly idMap: IdMap;
  /** @internal */
  readonly raw: VectorStore | null;
  private readonly query: QueryScratch;
  private readonly row: HeapArray<Float32Array>;
  private readonly outBuf: HeapArray<Float32Array>;
  private readonly topk = new TopK(16);
  private readonly reranker: Reranker;

  constructor(options: SqIndexOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'SqIndex takes an options object { dim, metric, type }.');
    assertDim(options.dim);
    assertMetric(options.metric);
    const type = options.type ?? 'sq8';
    if (!SQ_TYPES.includes(type)) throw new AnnkitError('INVALID_ARGUMENT', `type must be one of ${SQ_TYPES.join(', ')}, got ${JSON.stringify(type)}.`);
    this.dim = options.dim;
    this.metric = options.metric;
    this.type = type;
    this.kernels = options.kernels ?? jsKernels;
    this.keepVectors = options.keepVectors === true;
    const capacity = options.initialCapacity ?? 64;
    this.codec = new SqCodec({ dim: this.dim, type, kernels: this.kernels });
    this.store = new CodeStore(this.codec.codeSize, this.kernels.heap, capacity);
    this.idMap = new IdMap(capacity);
    this.raw = this.keepVectors ? new VectorStore(this.dim, this.kernels.heap, capacity) : null;
    this.query = new QueryScratch(this.dim, this.metric, this.kernels);
    this.row = new HeapArray(Float32Array, this.kernels.heap, paddedStride(this.dim));
    this.outBuf = new HeapArray(Float32Array, this.kernels.heap, BLOCK);
    this.reranker = new Reranker(this.dim, this.metric, this.kernels);
  }

  get size(): number {
    return this.store.size;
  }

  get isTrained(): boolean {
    return this.codec.isTrained;
  }

  /** Bytes per vector of codes. */
  get codeSize(): number {
    return this.codec.codeSize;
  }

  /** Bytes held: codes, ids, quantizer ranges and kept raw vectors (excluding spare capacity). */
  get memoryBytes(): number {
    return this.store.bytesUsed + this.size * 8 + (this.type === 'fp16' ? 0 : 8 * this.dim) + (this.raw?.bytesUsed ?? 0);
  }

  has(id: number): boolean {
    return this.idMap.has(id);
  }

  /**
   * Learns the per-dimension ranges from n × dim sample rows (normalised first under cosine). Only an empty
   * index can be (re)trained.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    if (this.size > 0) throw new AnnkitError('INVALID_STATE', `train() needs an empty index; this one holds ${this.size} vectors.`);
    assertFloat32Array('samples', samples);
    const dim = this.dim;
    if (samples.length % dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${dim}.`);
    const n = samples.length / dim;
    if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'train() needs at least one sample row; got none.');
    const prepared = new Float32Array(samples.length);
    for (let r = 0; r < n; r++) {
      const norm = assertRowValues(samples, r * dim, dim, this.metric, `samples row ${r}`);
      const scale = this.metric === 'cosine' ? 1 / Math.sqrt(norm) : 1;
      for (let i = 0; i < dim; i++) prepared[r * dim + i] = samples[r * dim + i]! * scale;
    }
    throwIfAborted(opts?.signal);
    const codec = new SqCodec({ dim, type: this.type, kernels: this.kernels });
    try {
      codec.train(prepared, opts);
    } catch (err) {
      codec.free();
      throw err;
    }
    this.codec.free();
    this.codec = codec;
  }

  private requireTrained(): void {
    if (!this.codec.isTrained) throw new AnnkitError('NOT_TRAINED', `This ${this.type} SqIndex has not been trained; call train(samples) before adding vectors.`);
  }

  add(id: number, vector: Float32Array): void {
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    const norm = assertVector(vector, this.dim, this.metric);
    this.requireTrained();
    this.appendRow(id, vector, 0, norm);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    for (let i = 0; i < n; i++) {
      if (this.idMap.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
    this.requireTrained();
    const start = this.size;
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      this.store.reserve(start + n);
      this.raw?.reserve(start + n);
      for (let i = 0; i < n; i++) {
        this.appendRow(ids[i]!, vectors, i * this.dim, squaredNorm(vectors, i * this.dim, this.dim));
        progress.tick();
      }
      progress.finish();
    } catch (err) {
      for (let slot = this.size - 1; slot >= start; slot--) this.idMap.delete(this.idMap.idOf(slot));
      this.store.truncate(start);
      this.raw?.truncate(start);
      throw err;
    }
  }

  upsert(id: number, vector: Float32Array): void {
    assertId(id);
    const norm = assertVector(vector, this.dim, this.metric);
    this.requireTrained();
    const slot = this.idMap.slotOf(id);
    if (slot < 0) {
      this.appendRow(id, vector, 0, norm);
      return;
    }
    this.writeSlot(slot, vector, 0, norm);
  }

  private appendRow(id: number, src: Float32Array, srcOff: number, norm: number): void {
    const slot = this.store.appendEmpty();
    // The raw row takes the same slot; writeSlot then stores its prepared (normalised) form.
    this.raw?.append(src, srcOff);
    this.idMap.set(id, slot);
    this.writeSlot(slot, src, srcOff, norm);
  }

  /** Encodes the (normalised under cosine) row into the slot's code and raw row. */
  private writeSlot(slot: number, src: Float32Array, srcOff: number, norm: number): void {
    const row = this.row.view;
    const scale = this.metric === 'cosine' ? 1 / Math.sqrt(norm) : 1;
    for (let i = 0; i < this.dim; i++) row[i] = src[srcOff + i]! * scale;
    this.codec.encodeRow(row, 0, this.store.data, slot * this.codec.codeSize);
    this.raw?.write(slot, row);
  }

  remove(id: number): boolean {
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    const moved = this.store.swapRemove(slot);
    this.raw?.swapRemove(slot);
    this.idMap.delete(id);
    if (moved >= 0) this.idMap.move(moved, slot);
    return true;
  }

  /** The raw vector when kept, otherwise the decoded approximation (normalised under cosine). */
  getVector(id: number): Float32Array {
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    const out = new Float32Array(this.dim);
    if (this.raw !== null) return this.raw.read(slot, out);
    this.codec.decodeRow(this.store.data, slot * this.codec.codeSize, out, 0);
    return out;
  }

  search(query: Float32Array, k: number, opts?: SqSearchOptions): SearchResult {
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const rerank = this.rerankFactor(opts);
    this.query.load(query);
    return this.searchLoaded(k, filter, rerank);
  }

  searchBatch(queries: Float32Array, k: number, opts?: SqSearchOptions): SearchResult[] {
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const rerank = this.rerankFactor(opts);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      this.query.loadTrusted(queries, i * this.dim, squaredNorm(queries, i * this.dim, this.dim));
      results.push(this.searchLoaded(k, filter, rerank));
    }
    return results;
  }

  private rerankFactor(opts: SqSearchOptions | undefined): number {
    const rerank = opts?.rerank ?? 0;
    if (typeof rerank !== 'number' || !(rerank === 0 || (rerank >= 1 && rerank <= 1e6))) throw new AnnkitError('INVALID_ARGUMENT', `rerank must be a factor ≥ 1 (or 0 for none), got ${String(rerank)}.`);
    if (rerank > 0 && this.raw === null) throw new AnnkitError('INVALID_ARGUMENT', 'rerank needs the raw vectors: create the index with keepVectors: true.');
    return rerank;
  }

  private searchLoaded(k: number, filter: ((id: number) => boolean) | null, rerank: number): SearchResult {
    const n = this.size;
    if (n === 0) return emptyResult();
    const topk = this.topk;
    topk.reset(Math.min(rerank > 0 ? Math.ceil(k * rerank) : k, n));
    const q = this.query.view;
    const codes = this.store.data;
    const size = this.codec.codeSize;
    const out = this.outBuf.view;
    const idsBySlot = this.idMap.idsBySlot;
    for (let start = 0; start < n; start += BLOCK) {
      const count = Math.min(BLOCK, n - start);
      this.codec.distanceMany(this.metric, q, 0, codes, start * size, count, out);
      let threshold = topk.threshold;
      for (let j = 0; j < count; j++) {
        const d = out[j]!;
        if (d > threshold) continue;
        const slot = start + j;
        if (filter !== null && !filter(idsBySlot[slot]!)) continue;
        if (topk.push(d, slot)) threshold = topk.threshold;
      }
    }
    if (rerank === 0) return this.collect(topk);
    this.reranker.reserve(topk.size);
    return this.collect(this.reranker.rerank(topk, k, this.query.view, this.raw!));
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
    return serializeSq(this, opts);
  }

  static deserialize(bytes: Uint8Array, options?: { kernels?: Kernels }): SqIndex {
    return deserializeSq(bytes, options);
  }

  /** Releases kernel-heap memory; the index must not be used afterwards. */
  free(): void {
    this.codec.free();
    this.store.free();
    this.raw?.free();
    this.row.free();
    this.outBuf.free();
    this.reranker.free();
  }
}

function squaredNorm(v: Float32Array, off: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  return s;
}
