import { AnnkitError, corrupt } from '../errors.js';
import { HeapArray } from '../heap.js';
import type { Kernels } from '../kernels.js';
import type { Metric } from '../metric.js';
import type { LongTaskOptions } from '../progress.js';
import { ProgressTracker } from '../progress.js';
import type { CodeScorer, RowCodec } from './code-storage.js';

/**
 * Binary quantization: one sign bit per dimension after centring (bit i of a row is set when
 * x[i] > centre[i]), packed 8 dimensions per byte, dimension i in bit (i & 7) of byte i >> 3. 32× smaller
 * than float32 rows. Scores are Hamming distances between the query's bits and a row's bits: an ordering
 * proxy for the metric (closer rows share more signs), to be re-ranked exactly from kept raw vectors.
 * Decoding gives centre[i] ± spread[i] (the mean absolute deviation learnt in training).
 */
export class BitsCodec implements RowCodec {
  readonly kind = 'bits' as const;
  readonly dim: number;
  readonly codeSize: number;
  readonly kernels: Kernels;
  private readonly centre: Float32Array;
  private readonly spread: Float32Array;
  private trained = false;

  constructor(dim: number, kernels: Kernels) {
    this.dim = dim;
    this.codeSize = (dim + 7) >> 3;
    this.kernels = kernels;
    this.centre = new Float32Array(dim);
    this.spread = new Float32Array(dim);
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /** Centre and spread: 2 × dim float32. */
  get stateSize(): number {
    return 8 * this.dim;
  }

  /** Learns the per-dimension centre (mean) and spread (mean absolute deviation) of prepared rows. */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    const dim = this.dim;
    const n = samples.length / dim;
    if (!Number.isInteger(n) || n === 0) throw new AnnkitError('INVALID_ARGUMENT', `BitsCodec.train needs whole rows of dim ${dim}; got ${samples.length} values.`);
    const progress = new ProgressTracker(opts, 'train', 2 * n);
    const mean = new Float64Array(dim);
    for (let r = 0; r < n; r++, progress.tick()) for (let i = 0; i < dim; i++) mean[i] = mean[i]! + samples[r * dim + i]!;
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! / n;
    const dev = new Float64Array(dim);
    for (let r = 0; r < n; r++, progress.tick()) for (let i = 0; i < dim; i++) dev[i] = dev[i]! + Math.abs(samples[r * dim + i]! - mean[i]!);
    for (let i = 0; i < dim; i++) {
      this.centre[i] = mean[i]!;
      this.spread[i] = dev[i]! / n;
    }
    this.trained = true;
    progress.finish();
  }

  encodeRow(src: Float32Array, srcOff: number, out: Uint8Array, outOff: number): void {
    const centre = this.centre;
    out.fill(0, outOff, outOff + this.codeSize);
    for (let i = 0; i < this.dim; i++) if (src[srcOff + i]! > centre[i]!) out[outOff + (i >> 3)] = out[outOff + (i >> 3)]! | (1 << (i & 7));
  }

  decodeRow(codes: Uint8Array, codesOff: number, out: Float32Array, outOff: number): void {
    for (let i = 0; i < this.dim; i++) {
      const bit = (codes[codesOff + (i >> 3)]! >> (i & 7)) & 1;
      out[outOff + i] = this.centre[i]! + (bit === 1 ? this.spread[i]! : -this.spread[i]!);
    }
  }

  /** Every byte is a valid code (bits past dim in the last byte are ignored by decoding, counted by Hamming only if set). */
  validateCodes(codes: Uint8Array, count: number): void {
    const tail = this.dim & 7;
    if (tail === 0) return;
    const mask = 0xff << tail;
    for (let r = 0; r < count; r++) {
      if ((codes[r * this.codeSize + this.codeSize - 1]! & mask) !== 0) throw corrupt(`binary code ${r} has bits set past dimension ${this.dim}`);
    }
  }

  createScorer(_metric: Metric): CodeScorer {
    return new BitsScorer(this);
  }

  saveState(): Uint8Array {
    if (!this.trained) return new Uint8Array(0);
    const state = new Float32Array(2 * this.dim);
    state.set(this.centre, 0);
    state.set(this.spread, this.dim);
    return new Uint8Array(state.buffer);
  }

  loadState(bytes: Uint8Array): void {
    if (bytes.byteLength !== 8 * this.dim) throw corrupt(`binary quantizer state takes ${8 * this.dim} bytes for dim ${this.dim}, got ${bytes.byteLength}`);
    const state = new Float32Array(bytes.slice().buffer);
    for (let i = 0; i < 2 * this.dim; i++) {
      const v = state[i]!;
      if (v - v !== 0 || (i >= this.dim && v < 0)) throw corrupt(`binary quantizer state value ${v} at ${i} is invalid`);
    }
    this.centre.set(state.subarray(0, this.dim));
    this.spread.set(state.subarray(this.dim));
    this.trained = true;
  }

  free(): void {
    // State lives in JS memory; the scorers own their heap blocks.
  }
}

/** Hamming distance from the query's sign bits, through the Hamming kernels. */
class BitsScorer implements CodeScorer {
  private readonly codec: BitsCodec;
  private readonly bits: HeapArray<Uint8Array>;

  constructor(codec: BitsCodec) {
    this.codec = codec;
    this.bits = new HeapArray(Uint8Array, codec.kernels.heap, codec.codeSize);
  }

  setQuery(query: Float32Array): void {
    this.codec.encodeRow(query, 0, this.bits.view, 0);
  }

  block(codes: Uint8Array, codesOff: number, n: number, out: Float32Array): void {
    const size = this.codec.codeSize;
    this.codec.kernels.hammingMany(this.bits.view, 0, codes, codesOff, size, n, size, out);
  }

  gather(codes: Uint8Array, slots: Int32Array, n: number, out: Float32Array): void {
    const size = this.codec.codeSize;
    this.codec.kernels.hammingGather(this.bits.view, 0, codes, size, slots, n, size, out);
  }

  free(): void {
    this.bits.free();
  }
}
