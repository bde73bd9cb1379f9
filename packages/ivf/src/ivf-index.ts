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
  assertQueryBatch,
  assertRowValues,
  assertVector,
  emptyResult,
  filterPredicate,
  paddedStride,
  throwIfAborted,
} from '@annkit/core';
import type { Kernels, LongTaskOptions, Metric, SearchResult, TrainableIndex } from '@annkit/core';
import { CoarseQuantizer } from './coarse.js';
import { createListCodec } from './codec-factory.js';
import { InvertedLists } from './inverted-lists.js';
import type { ListCodec } from './list-codec.js';
import { resolveIvfOptions, resolveSearchParams } from './options.js';
import type { IvfIndexOptions, IvfSearchOptions, ResolvedIvfOptions } from './options.js';
import { progressSpan } from './progress-span.js';
import { Reranker } from '@annkit/core';
// A cycle by design: the format module builds IvfIndex instances, the class delegates (de)serialisation to it.
import { deserializeIvf, serializeIvf } from './ivf-format.js';

/** Entries scored per codec call and rows assigned per kernel call. */
const BLOCK = 1024; // keep in step with SCAN_BLOCK in pq-list-codec.ts
const ASSIGN_BLOCK = 256;

/**
 * Inverted-file index (FAISS's IVF): a coarse quantizer of `nlist` k-means centroids, one inverted list per
 * centroid holding ids + vectors in a codec (flat floats, SQ or PQ codes of the residual), and a search
 * that scans the `nprobe` lists nearest the query. Train first (train(samples)); add, upsert and remove
 * work at any time afterwards (list append / swap-remove). With the flat codec and nprobe = nlist the
 * search is exact. Optional exact re-ranking from kept raw vectors (keepVectors + rerank).
 */
export class IvfIndex implements TrainableIndex<IvfSearchOptions> {
  readonly kind = 'ivf';
  readonly dim: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  /** @internal resolved construction options (read by the serializer). */
  readonly options: ResolvedIvfOptions;
  /** @internal */
  coarse: CoarseQuantizer;
  /** @internal */
  codec: ListCodec;
  /** @internal null until trained. */
  lists: InvertedLists | null = null;
  /** @internal */
  readonly idMap: IdMap;
  /** @internal list and position of each slot's entry. */
  slotList = new Int32Array(64);
  /** @internal */
  slotPos = new Int32Array(64);
  /** @internal raw vectors by slot (keepVectors). */
  readonly raw: VectorStore | null;
  /** Notes from the last training (e.g. nlist reduced to the number of samples). */
  trainWarnings: string[] = [];
  private readonly query: QueryScratch;
  private readonly rowBuf: HeapArray<Float32Array>;
  private readonly outBuf: HeapArray<Float32Array>;
  private readonly assignIdx: HeapArray<Int32Array>;
  private readonly assignDist: HeapArray<Float32Array>;
  private probeLists = new Int32Array(16);
  private readonly topk = new TopK(16);
  private readonly reranker: Reranker;
  /** Codes of one addBatch block (code codecs' batch path). */
  private codeBuf = new Uint8Array(0);

  constructor(options: IvfIndexOptions) {
    const o = resolveIvfOptions(options);
    this.options = o;
    this.dim = o.dim;
    this.metric = o.metric;
    this.kernels = o.kernels;
    this.coarse = new CoarseQuantizer(o.dim, o.metric, o.kernels);
    this.codec = createListCodec(o);
    this.idMap = new IdMap(64);
    this.raw = o.keepVectors ? new VectorStore(o.dim, o.kernels.heap, 64) : null;
    this.query = new QueryScratch(o.dim, o.metric, o.kernels);
    const stride = paddedStride(o.dim);
    this.rowBuf = new HeapArray(Float32Array, o.kernels.heap, ASSIGN_BLOCK * stride);
    this.outBuf = new HeapArray(Float32Array, o.kernels.heap, BLOCK);
    this.assignIdx = new HeapArray(Int32Array, o.kernels.heap, ASSIGN_BLOCK);
    this.assignDist = new HeapArray(Float32Array, o.kernels.heap, ASSIGN_BLOCK);
    this.reranker = new Reranker(o.dim, o.metric, o.kernels);
  }

  get size(): number {
    return this.idMap.size;
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
    return this.codec.type === 'flat' ? this.dim * 4 : this.codec.rowLen;
  }

  /** Bytes held: centroids, codec state, list rows + slots, ids, slot maps and kept raw vectors. */
  get memoryBytes(): number {
    const n = this.size;
    const rows = this.lists === null ? 0 : this.lists.total * (this.codeSize + 4);
    return this.coarse.bytesUsed + this.codec.stateBytes + rows + n * (8 + 8) + (this.raw?.bytesUsed ?? 0);
  }

  has(id: number): boolean {
    return this.idMap.has(id);
  }

  /**
   * Trains the coarse quantizer (k-means, nlist centroids) and the codec (on residuals) from n × dim rows.
   * Fewer samples than nlist reduces nlist to the number of samples (see trainWarnings). Only an empty
   * index can be (re)trained. Atomic: an abort leaves the index as it was.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    if (this.size > 0) throw new AnnkitError('INVALID_STATE', `train() needs an empty index; this one holds ${this.size} vectors. Create a new index to retrain.`);
    const n = this.validateSamples(samples);
    throwIfAborted(opts?.signal);
    const dim = this.dim;
    const prepared = new Float32Array(samples);
    if (this.metric === 'cosine') for (let r = 0; r < n; r++) normalize(prepared, r * dim, dim);
    const o = this.options;
    const codecNeedsTraining = o.codec === 'sq8' || o.codec === 'sq4' || o.codec === 'pq';
    const coarseEnd = codecNeedsTraining ? 600 : 1000;
    const coarse = new CoarseQuantizer(dim, this.metric, this.kernels);
    const codec = createListCodec(o);
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
    // Commit.
    this.coarse.free();
    this.codec.free();
    this.lists?.free();
    this.coarse = coarse;
    this.codec = codec;
    this.lists = new InvertedLists(coarse.nlist, codec.rowLen, codec.rowCtor, this.kernels.heap);
    this.trainWarnings = warnings;
    codec.prepareLists?.(coarse);
  }

  private validateSamples(samples: Float32Array): number {
    assertFloat32Array('samples', samples);
    if (samples.length % this.dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${this.dim}.`);
    const n = samples.length / this.dim;
    if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'train() needs at least one sample row; got none.');
    for (let r = 0; r < n; r++) assertRowValues(samples, r * this.dim, this.dim, this.metric, `samples row ${r}`);
    return n;
  }

  private requireTrained(): InvertedLists {
    if (this.lists === null || !this.codec.isTrained) throw new AnnkitError('NOT_TRAINED', 'This IvfIndex has not been trained; call train(samples) before adding vectors.');
    return this.lists;
  }

  add(id: number, vector: Float32Array): void {
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    const norm = assertVector(vector, this.dim, this.metric);
    this.requireTrained();
    this.insertOne(id, vector, norm);
  }

  upsert(id: number, vector: Float32Array): void {
    assertId(id);
    const norm = assertVector(vector, this.dim, this.metric);
    this.requireTrained();
    // The vector may belong to another list now: remove the old entry, then insert afresh.
    if (this.idMap.has(id)) this.removeSlot(this.idMap.slotOf(id), id);
    this.insertOne(id, vector, norm);
  }

  private insertOne(id: number, vector: Float32Array, squaredNorm: number): void {
    const row = this.rowBuf.view;
    const scale = this.metric === 'cosine' ? 1 / Math.sqrt(squaredNorm) : 1;
    for (let i = 0; i < this.dim; i++) row[i] = vector[i]! * scale;
    this.coarse.assign(row, 0, paddedStride(this.dim), 1, this.assignIdx.view, this.assignDist.view);
    this.insertPrepared(id, 0, this.assignIdx.view[0]!);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    for (let i = 0; i < n; i++) {
      if (this.idMap.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
    this.requireTrained();
    const start = this.size;
    const dim = this.dim;
    const stride = paddedStride(dim);
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      this.ensureSlots(start + n);
      this.raw?.reserve(start + n);
      for (let b = 0; b < n; b += ASSIGN_BLOCK) {
        const count = Math.min(ASSIGN_BLOCK, n - b);
        const rows = this.rowBuf.view;
        for (let r = 0; r < count; r++) {
          const src = (b + r) * dim;
          let scale = 1;
          if (this.metric === 'cosine') scale = 1 / Math.sqrt(squaredNormOf(vectors, src, dim));
          for (let i = 0; i < dim; i++) rows[r * stride + i] = vectors[src + i]! * scale;
        }
        this.coarse.assign(rows, 0, stride, count, this.assignIdx.view, this.assignDist.view);
        const codec = this.codec;
        if (codec.encodeBlock !== undefined) {
          // Code codecs encode the whole block in a few kernel calls, then entries are appended.
          const codes = this.codeBlock(codec.rowLen);
          codec.encodeBlock(this.rowBuf.view, stride, count, this.assignIdx.view, this.coarse.centroids, this.coarse.stride, codes);
          for (let r = 0; r < count; r++) {
            this.insertEncoded(ids[b + r]!, r * stride, this.assignIdx.view[r]!, codes, r * codec.rowLen);
            progress.tick();
          }
        } else {
          for (let r = 0; r < count; r++) {
            this.insertPrepared(ids[b + r]!, r * stride, this.assignIdx.view[r]!);
            progress.tick();
          }
        }
      }
      progress.finish();
    } catch (err) {
      this.rollback(start);
      throw err;
    }
  }

  /** Appends the prepared row at rowBuf@rowOff to `list`, under a new slot. */
  private insertPrepared(id: number, rowOff: number, list: number): void {
    const lists = this.lists!;
    const slot = this.size;
    this.ensureSlots(slot + 1);
    const pos = lists.append(list, slot);
    // append() may have grown the kernels' memory: read every view after it.
    const stride = this.coarse.stride;
    this.codec.encode(this.rowBuf.view, rowOff, this.coarse.centroids, list * stride, lists.rows(list), pos * lists.rowLen);
    this.slotList[slot] = list;
    this.slotPos[slot] = pos;
    this.idMap.set(id, slot);
    if (this.raw !== null) this.raw.append(this.rowBuf.view, rowOff);
  }

  /** Appends an already encoded entry (code at codes@codeOff) for the prepared row at rowBuf@rowOff. */
  private insertEncoded(id: number, rowOff: number, list: number, codes: Uint8Array, codeOff: number): void {
    const lists = this.lists!;
    const slot = this.size;
    this.ensureSlots(slot + 1);
    const pos = lists.append(list, slot);
    const len = lists.rowLen;
    (lists.rows(list) as Uint8Array).set(codes.subarray(codeOff, codeOff + len), pos * len);
    this.slotList[slot] = list;
    this.slotPos[slot] = pos;
    this.idMap.set(id, slot);
    if (this.raw !== null) this.raw.append(this.rowBuf.view, rowOff);
  }

  private codeBlock(rowLen: number): Uint8Array {
    if (this.codeBuf.length < ASSIGN_BLOCK * rowLen) this.codeBuf = new Uint8Array(ASSIGN_BLOCK * rowLen);
    return this.codeBuf;
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

  /** @internal */
  ensureSlotCapacity(n: number): void {
    this.ensureSlots(n);
  }

  private ensureSlots(n: number): void {
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
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    const out = new Float32Array(this.dim);
    if (this.raw !== null) return this.raw.read(slot, out);
    const lists = this.lists!;
    const list = this.slotList[slot]!;
    this.codec.decode(lists.rows(list), this.slotPos[slot]! * lists.rowLen, this.coarse.centroids, list * this.coarse.stride, out, 0);
    return out;
  }

  search(query: Float32Array, k: number, opts?: IvfSearchOptions): SearchResult {
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const [nprobe, rerank] = resolveSearchParams(opts);
    this.checkRerank(rerank);
    const q = this.query.load(query);
    return this.searchPrepared(q, k, filter, nprobe, rerank);
  }

  searchBatch(queries: Float32Array, k: number, opts?: IvfSearchOptions): SearchResult[] {
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const [nprobe, rerank] = resolveSearchParams(opts);
    this.checkRerank(rerank);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      const q = this.query.loadTrusted(queries, i * this.dim, squaredNormOf(queries, i * this.dim, this.dim));
      results.push(this.searchPrepared(q, k, filter, nprobe, rerank));
    }
    return results;
  }

  private checkRerank(rerank: number): void {
    if (rerank > 0 && this.raw === null && this.codec.type !== 'flat') {
      throw new AnnkitError('INVALID_ARGUMENT', 'rerank needs the raw vectors: create the index with keepVectors: true.');
    }
  }

  private searchPrepared(q: Float32Array, k: number, filter: ((id: number) => boolean) | null, nprobe: number, rerank: number): SearchResult {
    const lists = this.lists;
    const size = this.size;
    if (lists === null || size === 0) return emptyResult();
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
    const idsBySlot = this.idMap.idsBySlot;
    const out = this.outBuf.view;
    const cStride = this.coarse.stride;
    for (let p = 0; p < probed; p++) {
      const list = this.probeLists[p]!;
      const n = lists.size(list);
      if (n === 0) continue;
      codec.beginList(list, this.coarse.centroids, list * cStride, coarseRaw[list]!);
      const rows = lists.rows(list);
      const slots = lists.slots(list);
      for (let start = 0; start < n; start += BLOCK) {
        const count = Math.min(BLOCK, n - start);
        codec.scan(rows, start, count, out);
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
    return serializeIvf(this, opts);
  }

  static deserialize(bytes: Uint8Array, options?: { kernels?: Kernels }): IvfIndex {
    return deserializeIvf(bytes, options);
  }

  /** Releases kernel-heap memory; the index must not be used afterwards. */
  free(): void {
    this.coarse.free();
    this.codec.free();
    this.lists?.free();
    this.raw?.free();
    this.rowBuf.free();
    this.outBuf.free();
    this.assignIdx.free();
    this.assignDist.free();
    this.reranker.free();
  }
}


function normalize(v: Float32Array, off: number, dim: number): void {
  const inv = 1 / Math.sqrt(squaredNormOf(v, off, dim));
  for (let i = 0; i < dim; i++) v[off + i] = v[off + i]! * inv;
}

function squaredNormOf(v: Float32Array, off: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  return s;
}
