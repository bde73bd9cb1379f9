import {
  AnnkitError,
  HeapArray,
  IdMap,
  ProgressTracker,
  QueryScratch,
  TopK,
  VectorStore,
  assertBatch,
  assertDim,
  assertId,
  assertK,
  assertMetric,
  assertQueryBatch,
  assertVector,
  bytesOf,
  decodeJson,
  encodeJson,
  filterPredicate,
  jsKernels,
  paramInt,
  readAnnk,
  sectionArray,
  squaredNorm,
  writeAnnk,
} from '@annkit/core';
import type { BaseIndexOptions, Kernels, LongTaskOptions, Metric, SearchOptions, SearchResult, VectorIndex } from '@annkit/core';
import { scanAll, scanSlots } from './scan.js';

export interface FlatIndexOptions extends BaseIndexOptions {
  /** Distance kernels (default: core's TypeScript kernels; pass `await loadKernels()` from @annkit/wasm for SIMD). */
  kernels?: Kernels;
  /** Rows to reserve up front (the store grows as needed). */
  initialCapacity?: number;
}

export interface FlatLoadOptions {
  kernels?: Kernels;
}

const FORMAT_MAJOR = 1;
const FORMAT_MINOR = 0;
/** Rows scored per kernel call: big enough to amortise the call, small enough to stay in cache. */
const BLOCK_ROWS = 1024;

/**
 * Exact k-nearest-neighbour search by scanning every row with the distance kernels.
 * The reference every approximate index is tested against; also the right choice below ~50k vectors.
 */
export class FlatIndex implements VectorIndex<SearchOptions> {
  readonly kind = 'flat';
  readonly dim: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  private readonly store: VectorStore;
  private readonly idMap: IdMap;
  private readonly query: QueryScratch;
  private readonly blockDistances: HeapArray<Float32Array>;
  private readonly slotBuffer: HeapArray<Int32Array>;
  private readonly topk = new TopK(16);

  constructor(options: FlatIndexOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'FlatIndex takes an options object { dim, metric }.');
    assertDim(options.dim);
    assertMetric(options.metric);
    this.dim = options.dim;
    this.metric = options.metric;
    this.kernels = options.kernels ?? jsKernels;
    const capacity = options.initialCapacity ?? 64;
    this.store = new VectorStore(this.dim, this.kernels.heap, capacity);
    this.idMap = new IdMap(capacity);
    this.query = new QueryScratch(this.dim, this.metric, this.kernels);
    this.blockDistances = new HeapArray(Float32Array, this.kernels.heap, BLOCK_ROWS);
    this.slotBuffer = new HeapArray(Int32Array, this.kernels.heap, BLOCK_ROWS);
  }

  get size(): number {
    return this.store.size;
  }

  /** Bytes held for the live rows and their ids (excludes spare capacity). */
  get memoryBytes(): number {
    return this.store.bytesUsed + this.size * 8;
  }

  has(id: number): boolean {
    return this.idMap.has(id);
  }

  add(id: number, vector: Float32Array): void {
    assertId(id);
    if (this.idMap.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
    const norm = assertVector(vector, this.dim, this.metric);
    this.appendRow(id, vector, 0, norm);
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    for (let i = 0; i < n; i++) {
      if (this.idMap.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
    const start = this.store.size;
    this.store.reserve(start + n);
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      for (let i = 0; i < n; i++) {
        this.appendRow(ids[i]!, vectors, i * this.dim, squaredNorm(vectors, i * this.dim, this.dim));
        progress.tick();
      }
      progress.finish();
    } catch (err) {
      // An abort (or a throwing progress callback) rolls the whole batch back.
      for (let i = 0; i < n; i++) if (this.idMap.slotOf(ids[i]!) >= start) this.idMap.delete(ids[i]!);
      this.store.truncate(start);
      throw err;
    }
  }

  upsert(id: number, vector: Float32Array): void {
    assertId(id);
    const norm = assertVector(vector, this.dim, this.metric);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) {
      this.appendRow(id, vector, 0, norm);
      return;
    }
    this.store.write(slot, vector);
    if (this.metric === 'cosine') this.store.scale(slot, 1 / Math.sqrt(norm));
  }

  remove(id: number): boolean {
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    const moved = this.store.swapRemove(slot);
    this.idMap.delete(id);
    if (moved >= 0) this.idMap.move(moved, slot);
    return true;
  }

  getVector(id: number): Float32Array {
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    return this.store.read(slot, new Float32Array(this.dim));
  }

  search(query: Float32Array, k: number, opts?: SearchOptions): SearchResult {
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const q = this.query.load(query);
    return this.searchPrepared(q, k, filter, opts);
  }

  searchBatch(queries: Float32Array, k: number, opts?: SearchOptions): SearchResult[] {
    assertK(k);
    const filter = filterPredicate(opts?.filter);
    const n = assertQueryBatch(queries, this.dim, this.metric);
    const results: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      const q = this.query.loadTrusted(queries, i * this.dim, squaredNorm(queries, i * this.dim, this.dim));
      results.push(this.searchPrepared(q, k, filter, opts));
    }
    return results;
  }

  private searchPrepared(q: Float32Array, k: number, filter: ((id: number) => boolean) | null, opts: SearchOptions | undefined): SearchResult {
    const topk = this.topk;
    topk.reset(Math.min(k, Math.max(1, this.size)));
    const ctx = { kernels: this.kernels, metric: this.metric, store: this.store, query: q, out: this.blockDistances.view, topk };
    const allow = opts?.filter;
    if (allow !== undefined && typeof allow !== 'function' && allow.size * 8 < this.size) {
      // A small allow-list: score only its rows (gather) instead of the whole store.
      scanSlots(ctx, this.allowedSlots(allow), this.slotBuffer);
    } else {
      scanAll(ctx, filter, this.idMap.idsBySlot);
    }
    return this.collect(topk);
  }

  private allowedSlots(allow: ReadonlySet<number>): Int32Array {
    const slots = new Int32Array(allow.size);
    let n = 0;
    for (const id of allow) {
      const slot = typeof id === 'number' ? this.idMap.slotOf(id) : -1;
      if (slot >= 0) slots[n++] = slot;
    }
    return slots.subarray(0, n);
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

  private appendRow(id: number, src: Float32Array, srcOff: number, norm2: number): void {
    const slot = this.store.append(src, srcOff);
    if (this.metric === 'cosine') this.store.scale(slot, 1 / Math.sqrt(norm2));
    this.idMap.set(id, slot);
  }

  serialize(opts?: LongTaskOptions): Uint8Array {
    const progress = new ProgressTracker(opts, 'serialize', 1);
    const n = this.size;
    const params = { format: 'annkit-flat', count: n };
    const bytes = writeAnnk({ kind: 'FLAT', major: FORMAT_MAJOR, minor: FORMAT_MINOR, dim: this.dim, metric: this.metric }, [
      { tag: 'PARM', data: encodeJson(params) },
      { tag: 'IDS ', data: bytesOf(this.idMap.idsBySlot.subarray(0, n)) },
      { tag: 'VECS', data: bytesOf(this.store.exportPacked()) },
    ]);
    progress.finish();
    return bytes;
  }

  static deserialize(bytes: Uint8Array, options?: FlatLoadOptions): FlatIndex {
    const file = readAnnk(bytes, { kind: 'FLAT', major: FORMAT_MAJOR, required: ['PARM', 'IDS ', 'VECS'], known: ['PARM', 'IDS ', 'VECS'] });
    const params = decodeJson(file.sections.get('PARM'), 'PARM');
    const n = paramInt(params, 'count', 0, 2 ** 31 - 1);
    // Sizes are checked against the section lengths before anything is allocated.
    const ids = sectionArray(Float64Array, file.sections.get('IDS '), n, 'IDS ');
    const vectors = sectionArray(Float32Array, file.sections.get('VECS'), n * file.dim, 'VECS');
    const idMap = IdMap.fromDense(ids);
    const index = new FlatIndex({ dim: file.dim, metric: file.metric, kernels: options?.kernels ?? jsKernels, initialCapacity: Math.max(1, n) });
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i]!;
      if (v - v !== 0) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: vector value ${v} at row ${Math.floor(i / file.dim)} is not finite.`);
    }
    for (let slot = 0; slot < n; slot++) index.store.append(vectors, slot * file.dim);
    for (const [id, slot] of idMap.entries()) index.idMap.set(id, slot);
    return index;
  }
}
