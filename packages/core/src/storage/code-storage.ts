import { AnnkitError } from '../errors.js';
import { HeapArray } from '../heap.js';
import type { Kernels } from '../kernels.js';
import { paddedStride } from '../kernels.js';
import type { Metric } from '../metric.js';
import type { LongTaskOptions } from '../progress.js';
import { CodeStore } from '../code-store.js';
import { assertDecodedRows } from './stored-rows.js';
import type { QueryDistance, StorageKind, VectorStorage } from './vector-storage.js';

/**
 * Scores a bound float query against codes, returning the metric's distances. Made by a RowCodec per
 * distance computer (so per-query tables are not shared between searches).
 */
export interface CodeScorer {
  /** Binds a prepared query (`dim` values, in the kernels' heap). May build tables. */
  setQuery(query: Float32Array): void;
  /** out[j] = distance to the code at codes@(codesOff + j × codeSize), j < n. */
  block(codes: Uint8Array, codesOff: number, n: number, out: Float32Array): void;
  /** out[j] = distance to the code of slots[j] (at slots[j] × codeSize), j < n. */
  gather(codes: Uint8Array, slots: Int32Array, n: number, out: Float32Array): void;
  free(): void;
}

/**
 * What a quantizer (SQ, PQ, fp16, bits) supplies so that CodeStorage can hold its codes: encoding, decoding,
 * validation of decoded files, persistence of its trained state and a query scorer. Row bookkeeping
 * (slots, growth, swap-remove, files) lives once in CodeStorage.
 */
export interface RowCodec {
  readonly kind: StorageKind;
  readonly dim: number;
  readonly codeSize: number;
  readonly isTrained: boolean;
  /** Bytes of trained state held (ranges, codebooks). */
  readonly stateSize: number;
  /** Learns the encoding from row-major prepared samples (a multiple of dim values). */
  train(samples: Float32Array, opts?: LongTaskOptions): void;
  encodeRow(src: Float32Array, srcOff: number, out: Uint8Array, outOff: number): void;
  decodeRow(codes: Uint8Array, codesOff: number, out: Float32Array, outOff: number): void;
  /** Checks `count` codes read from a file (say, fp16 codes that decode to NaN); throws CORRUPT_DATA. */
  validateCodes(codes: Uint8Array, count: number): void;
  createScorer(metric: Metric): CodeScorer;
  /** Trained state as bytes (empty when there is none). */
  saveState(): Uint8Array;
  /** Restores saveState() bytes, validating them (CORRUPT_DATA); the codec is then trained. */
  loadState(bytes: Uint8Array): void;
  free(): void;
}

/** Fixed-size codes of any RowCodec in dense slots. */
export class CodeStorage implements VectorStorage {
  readonly kind: StorageKind;
  readonly dim: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  readonly codec: RowCodec;
  readonly codes: CodeStore;

  constructor(codec: RowCodec, metric: Metric, kernels: Kernels, initialCapacity = 64) {
    this.codec = codec;
    this.kind = codec.kind;
    this.dim = codec.dim;
    this.metric = metric;
    this.kernels = kernels;
    this.codes = new CodeStore(codec.codeSize, kernels.heap, initialCapacity);
  }

  get codeSize(): number {
    return this.codec.codeSize;
  }

  get isTrained(): boolean {
    return this.codec.isTrained;
  }

  get size(): number {
    return this.codes.size;
  }

  get bytesUsed(): number {
    return this.codes.bytesUsed + this.codec.stateSize;
  }

  /** The current code bytes (code of slot s at s × codeSize). */
  get data(): Uint8Array {
    return this.codes.data;
  }

  train(samples: Float32Array, opts?: LongTaskOptions): void {
    if (this.size > 0) throw new AnnkitError('INVALID_STATE', `A quantizer can only be trained while it holds no rows; this one holds ${this.size}.`);
    this.codec.train(samples, opts);
  }

  reserve(rows: number): void {
    this.codes.reserve(rows);
  }

  append(src: Float32Array, srcOff: number): number {
    const slot = this.codes.appendEmpty();
    this.codec.encodeRow(src, srcOff, this.codes.data, slot * this.codec.codeSize);
    return slot;
  }

  write(slot: number, src: Float32Array, srcOff: number): void {
    if (slot === this.codes.size) {
      this.append(src, srcOff);
      return;
    }
    this.codec.encodeRow(src, srcOff, this.codes.data, slot * this.codec.codeSize);
  }

  read(slot: number, out: Float32Array, outOff = 0): Float32Array {
    this.codec.decodeRow(this.codes.data, slot * this.codec.codeSize, out, outOff);
    return out;
  }

  clear(slot: number): void {
    const size = this.codec.codeSize;
    this.codes.data.fill(0, slot * size, (slot + 1) * size);
  }

  swapRemove(slot: number): number {
    return this.codes.swapRemove(slot);
  }

  truncate(rows: number): void {
    this.codes.truncate(rows);
  }

  createDistance(): QueryDistance {
    return new CodeDistance(this);
  }

  exportRows(): Uint8Array {
    return this.codes.exportPacked();
  }

  importRows(bytes: Uint8Array, count: number): void {
    const size = this.codec.codeSize;
    if (bytes.byteLength !== count * size) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${count} codes of ${size} bytes need ${count * size} bytes, got ${bytes.byteLength}.`);
    if (count > 0 && !this.codec.isTrained) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: an untrained ${this.kind} quantizer cannot hold ${count} codes.`);
    this.codec.validateCodes(bytes, count);
    assertDecodedRows(count, this.dim, (r, row) => this.codec.decodeRow(bytes, r * size, row, 0));
    this.codes.reserve(this.codes.size + count);
    for (let s = 0; s < count; s++) this.codes.append(bytes, s * size);
  }

  exportState(): Uint8Array {
    return this.codec.saveState();
  }

  importState(bytes: Uint8Array): void {
    this.codec.loadState(bytes);
  }

  free(): void {
    this.codes.free();
    this.codec.free();
  }
}

/**
 * QueryDistance over codes. Stored-vs-stored distances decode one side and score it against the other's
 * code (exact for linear decoders such as SQ; asymmetric for PQ, which is the more accurate choice).
 */
class CodeDistance implements QueryDistance {
  private readonly storage: CodeStorage;
  private readonly scorer: CodeScorer;
  private rowScorer: CodeScorer | null = null;
  private readonly queryBuf: HeapArray<Float32Array>;
  private readonly rowBuf: HeapArray<Float32Array>;
  private readonly one1 = new Float32Array(1);
  private readonly slot1 = new Int32Array(1);

  constructor(storage: CodeStorage) {
    this.storage = storage;
    this.scorer = storage.codec.createScorer(storage.metric);
    this.queryBuf = new HeapArray(Float32Array, storage.kernels.heap, paddedStride(storage.dim));
    this.rowBuf = new HeapArray(Float32Array, storage.kernels.heap, paddedStride(storage.dim));
  }

  setQuery(query: Float32Array): void {
    const q = this.queryBuf.view;
    const n = Math.min(query.length, this.storage.dim);
    for (let i = 0; i < n; i++) q[i] = query[i]!;
    this.scorer.setQuery(q);
  }

  setQuerySlot(slot: number): void {
    const q = this.queryBuf.view;
    this.storage.read(slot, q, 0);
    this.scorer.setQuery(q);
  }

  one(slot: number): number {
    this.slot1[0] = slot;
    this.scorer.gather(this.storage.data, this.slot1, 1, this.one1);
    return this.one1[0]!;
  }

  block(first: number, n: number, out: Float32Array): void {
    this.scorer.block(this.storage.data, first * this.storage.codeSize, n, out);
  }

  gather(slots: Int32Array, n: number, out: Float32Array): void {
    this.scorer.gather(this.storage.data, slots, n, out);
  }

  between(a: number, b: number): number {
    this.slot1[0] = b;
    this.betweenMany(a, this.slot1, 1, this.one1);
    return this.one1[0]!;
  }

  betweenMany(a: number, slots: Int32Array, n: number, out: Float32Array): void {
    const scorer = (this.rowScorer ??= this.storage.codec.createScorer(this.storage.metric));
    // Rows change between calls during a build, so the decoded row is re-bound every time.
    const row = this.rowBuf.view;
    this.storage.read(a, row, 0);
    scorer.setQuery(row);
    scorer.gather(this.storage.data, slots, n, out);
  }

  free(): void {
    this.scorer.free();
    this.rowScorer?.free();
    this.queryBuf.free();
    this.rowBuf.free();
  }
}
