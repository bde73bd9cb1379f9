import { AnnkitError, HeapArray, ProgressTracker, assertDim, assertFloat32Array, corrupt, jsKernels, optionOr } from '@annkit/core';
import { kernelToDistance, kernelToDistanceInPlace } from '@annkit/core';
import type { CodeScorer, Kernels, LongTaskOptions, Metric, RowCodec } from '@annkit/core';
import { floatToHalf, halfTable } from '@annkit/core';
import { MAX_STORED_COMPONENT } from '@annkit/core';

/** 'sq8': one byte per dimension; 'sq4': half a byte (two dimensions per byte); 'fp16': IEEE half floats. */
export type SqType = 'sq8' | 'sq4' | 'fp16';

export const SQ_TYPES: readonly SqType[] = ['sq8', 'sq4', 'fp16'];

/** Bytes per encoded vector: dim (sq8), ceil(dim / 2) (sq4), 2 × dim (fp16). */
export function sqCodeSize(type: SqType, dim: number): number {
  return type === 'sq8' ? dim : type === 'sq4' ? (dim + 1) >> 1 : 2 * dim;
}

export interface SqCodecOptions {
  dim: number;
  /** Default 'sq8'. */
  type?: SqType;
  /** Kernels for the asymmetric distances (default: core's TypeScript kernels). */
  kernels?: Kernels;
}

/** The trained state of a codec, as stored by the indexes that embed one. */
export interface SqCodecState {
  dim: number;
  type: SqType;
  /** Per-dimension decode step (dim values); empty when untrained. */
  scale: Float32Array;
  /** Per-dimension decode offset (the trained minimum). */
  offset: Float32Array;
}

/**
 * Scalar quantizer: each dimension is mapped linearly onto 2^bits levels between the trained per-dimension
 * minimum and maximum (values outside are clamped). Level c of dimension i decodes to
 * offset[i] + scale[i] * c, so a constant dimension (scale 0) decodes exactly. fp16 needs no training.
 *
 * Distances are asymmetric: a float query against codes, through the SQ kernels. The query must already be
 * prepared for the metric (normalised under cosine, like the vectors that were encoded), and results are the
 * metric's distances: 'l2' squared Euclidean, 'ip' the negated dot product, 'cosine' 1 - dot.
 */
export class SqCodec implements RowCodec {
  readonly dim: number;
  readonly type: SqType;
  /** The storage kind these codes are (the same word as type). */
  readonly kind: SqType;
  /** Bytes per encoded vector: dim (sq8), ceil(dim / 2) (sq4), 2 × dim (fp16). */
  readonly codeSize: number;
  readonly kernels: Kernels;
  private readonly scaleBuf: HeapArray<Float32Array>;
  private readonly offsetBuf: HeapArray<Float32Array>;
  /** Decode buffers for `between` and fp16 scoring (2 × dim floats). */
  private readonly pair: Float32Array;
  private trained: boolean;

  constructor(options: SqCodecOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'SqCodec takes an options object { dim, type }.');
    assertDim(options.dim);
    const type = optionOr(options.type, 'sq8');
    if (!SQ_TYPES.includes(type)) throw new AnnkitError('INVALID_ARGUMENT', `SqCodec type must be one of ${SQ_TYPES.join(', ')}, got ${JSON.stringify(type)}.`);
    this.dim = options.dim;
    this.type = type;
    this.kind = type;
    this.kernels = options.kernels ?? jsKernels;
    this.codeSize = sqCodeSize(type, this.dim);
    this.scaleBuf = new HeapArray(Float32Array, this.kernels.heap, this.dim);
    this.offsetBuf = new HeapArray(Float32Array, this.kernels.heap, this.dim);
    this.pair = new Float32Array(2 * this.dim);
    this.trained = type === 'fp16';
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /** Levels per dimension minus one (255 or 15); 0 for fp16. */
  private get maxLevel(): number {
    return this.type === 'sq8' ? 255 : this.type === 'sq4' ? 15 : 0;
  }

  /**
   * Learns the per-dimension range from n × dim samples (row-major). Retraining replaces the range.
   * Needs at least one finite row; fp16 accepts and ignores samples.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    assertFloat32Array('samples', samples);
    const dim = this.dim;
    if (samples.length % dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${dim}.`);
    const n = samples.length / dim;
    if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'SqCodec.train needs at least one sample row; got none.');
    const min = new Float64Array(dim).fill(Infinity);
    const max = new Float64Array(dim).fill(-Infinity);
    const progress = new ProgressTracker(opts, 'train', n);
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      for (let i = 0; i < dim; i++) {
        const v = samples[o + i]!;
        if (v - v !== 0) throw new AnnkitError('INVALID_VECTOR', `samples row ${r} has a non-finite value (${v}) at position ${i}.`);
        if (v < min[i]!) min[i] = v;
        if (v > max[i]!) max[i] = v;
      }
      progress.tick();
    }
    if (this.type !== 'fp16') {
      const levels = this.maxLevel;
      const scale = this.scaleBuf.view;
      const offset = this.offsetBuf.view;
      for (let i = 0; i < dim; i++) {
        offset[i] = min[i]!;
        // Step from the float32 minimum so the top level lands on (or just past) the maximum.
        scale[i] = (max[i]! - offset[i]!) / levels;
      }
      this.trained = true;
    }
    progress.finish();
  }

  private requireTrained(): void {
    if (!this.trained) throw new AnnkitError('NOT_TRAINED', `This ${this.type} codec has not been trained; call train(samples) first.`);
  }

  /** Encodes n rows (row-major, dim apart, from vectors[0]) into out@outOff, codeSize bytes each. */
  encode(vectors: Float32Array, n: number, out: Uint8Array, outOff = 0): void {
    this.requireTrained();
    for (let r = 0; r < n; r++) this.encodeRow(vectors, r * this.dim, out, outOff + r * this.codeSize);
  }

  /** Encodes the dim values at src@srcOff into out@outOff. The caller has validated the values. */
  encodeRow(src: Float32Array, srcOff: number, out: Uint8Array, outOff: number): void {
    const dim = this.dim;
    if (this.type === 'fp16') {
      for (let i = 0; i < dim; i++) {
        const h = floatToHalf(src[srcOff + i]!);
        out[outOff + 2 * i] = h & 0xff;
        out[outOff + 2 * i + 1] = h >>> 8;
      }
      return;
    }
    const scale = this.scaleBuf.view;
    const offset = this.offsetBuf.view;
    const top = this.maxLevel;
    if (this.type === 'sq8') {
      for (let i = 0; i < dim; i++) out[outOff + i] = quantize(src[srcOff + i]!, offset[i]!, scale[i]!, top);
      return;
    }
    const size = this.codeSize;
    for (let j = 0; j < size; j++) {
      const i = 2 * j;
      const lo = quantize(src[srcOff + i]!, offset[i]!, scale[i]!, top);
      const hi = i + 1 < dim ? quantize(src[srcOff + i + 1]!, offset[i + 1]!, scale[i + 1]!, top) : 0;
      out[outOff + j] = lo | (hi << 4);
    }
  }

  /** Decodes n codes from codes@codesOff into row-major floats (dim apart) in out. */
  decode(codes: Uint8Array, n: number, out: Float32Array, codesOff = 0): void {
    this.requireTrained();
    for (let r = 0; r < n; r++) this.decodeRow(codes, codesOff + r * this.codeSize, out, r * this.dim);
  }

  decodeRow(codes: Uint8Array, codesOff: number, out: Float32Array, outOff: number): void {
    const dim = this.dim;
    if (this.type === 'fp16') {
      const t = halfTable();
      for (let i = 0; i < dim; i++) out[outOff + i] = t[codes[codesOff + 2 * i]! | (codes[codesOff + 2 * i + 1]! << 8)]!;
      return;
    }
    const scale = this.scaleBuf.view;
    const offset = this.offsetBuf.view;
    if (this.type === 'sq8') {
      for (let i = 0; i < dim; i++) out[outOff + i] = offset[i]! + scale[i]! * codes[codesOff + i]!;
      return;
    }
    for (let i = 0; i < dim; i++) out[outOff + i] = offset[i]! + scale[i]! * ((codes[codesOff + (i >> 1)]! >> ((i & 1) << 2)) & 15);
  }

  /**
   * Asymmetric distances from the prepared query q@qOff to n consecutive codes (codes@codesOff, codeSize
   * apart): out[j] for j < n.
   */
  distanceMany(metric: Metric, q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, n: number, out: Float32Array): void {
    const k = this.kernels;
    const l2 = metric === 'l2';
    if (this.type === 'sq8') {
      if (l2) k.sq8L2Many(q, qOff, codes, codesOff, this.codeSize, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
      else k.sq8DotMany(q, qOff, codes, codesOff, this.codeSize, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
    } else if (this.type === 'sq4') {
      if (l2) k.sq4L2Many(q, qOff, codes, codesOff, this.codeSize, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
      else k.sq4DotMany(q, qOff, codes, codesOff, this.codeSize, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
    } else {
      (l2 ? k.halfL2 : k.halfDot)(q, qOff, codes, codesOff, this.codeSize, null, n, this.dim, out);
    }
    if (!l2) kernelToDistanceInPlace(metric, out, n);
  }

  /** Like distanceMany for the codes of `slots` (slot s at s × codeSize). */
  distanceGather(metric: Metric, q: Float32Array, qOff: number, codes: Uint8Array, slots: Int32Array, n: number, out: Float32Array): void {
    const k = this.kernels;
    const l2 = metric === 'l2';
    if (this.type === 'sq8') {
      if (l2) k.sq8L2Gather(q, qOff, codes, this.codeSize, slots, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
      else k.sq8DotGather(q, qOff, codes, this.codeSize, slots, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
    } else if (this.type === 'sq4') {
      if (l2) k.sq4L2Gather(q, qOff, codes, this.codeSize, slots, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
      else k.sq4DotGather(q, qOff, codes, this.codeSize, slots, n, this.scaleBuf.view, this.offsetBuf.view, this.dim, out);
    } else {
      (l2 ? k.halfL2 : k.halfDot)(q, qOff, codes, 0, this.codeSize, slots, n, this.dim, out);
    }
    if (!l2) kernelToDistanceInPlace(metric, out, n);
  }

  /** Asymmetric distance from the prepared query to one code at codes@codeOff. */
  distanceOne(metric: Metric, q: Float32Array, qOff: number, codes: Uint8Array, codeOff: number): number {
    const out = this.pair;
    this.distanceMany(metric, q, qOff, codes, codeOff, 1, out);
    return out[0]!;
  }

  /** Symmetric distance between two codes (both decoded). */
  between(metric: Metric, codes: Uint8Array, aOff: number, bOff: number): number {
    const buf = this.pair;
    const dim = this.dim;
    this.decodeRow(codes, aOff, buf, 0);
    this.decodeRow(codes, bOff, buf, dim);
    if (metric === 'l2') return this.kernels.l2(buf, 0, buf, dim, dim);
    return kernelToDistance(metric, this.kernels.dot(buf, 0, buf, dim, dim));
  }

  /** The per-dimension decode steps (a view: re-read after allocations). */
  get scales(): Float32Array {
    return this.scaleBuf.view;
  }

  /** Prepares a query for the SQ8 l2 kernel over a prepared query: t = q − offset (dim values). */
  prepareL2Query(q: Float32Array, t: Float32Array): void {
    const offset = this.offsetBuf.view;
    for (let i = 0; i < this.dim; i++) t[i] = q[i]! - offset[i]!;
  }

  /** Bytes of trained state: per-dimension scale and offset (none for fp16). */
  get stateSize(): number {
    return this.type === 'fp16' ? 0 : 8 * this.dim;
  }

  /** Trained ranges as bytes: dim float32 scales, then dim float32 offsets (empty for fp16 or untrained). */
  saveState(): Uint8Array {
    if (!this.trained || this.type === 'fp16') return new Uint8Array(0);
    const state = new Float32Array(2 * this.dim);
    state.set(this.scaleBuf.view, 0);
    state.set(this.offsetBuf.view, this.dim);
    return new Uint8Array(state.buffer);
  }

  loadState(bytes: Uint8Array): void {
    if (this.type === 'fp16') {
      if (bytes.byteLength !== 0) throw corrupt('an fp16 quantizer has no trained ranges');
      return;
    }
    if (bytes.byteLength !== 8 * this.dim) throw corrupt(`scalar quantizer ranges take ${8 * this.dim} bytes for dim ${this.dim}, got ${bytes.byteLength}`);
    const state = new Float32Array(new Uint8Array(bytes).buffer);
    this.setRanges(state.subarray(0, this.dim), state.subarray(this.dim));
  }

  /** fp16 codes must decode to finite values; every sq8/sq4 byte is a valid level. */
  validateCodes(codes: Uint8Array, count: number): void {
    if (this.type !== 'fp16') return;
    const t = halfTable();
    for (let i = 0; i < count * this.dim; i++) {
      const v = t[codes[2 * i]! | (codes[2 * i + 1]! << 8)]!;
      if (v - v !== 0) throw corrupt(`fp16 code ${Math.floor(i / this.dim)} holds a non-finite value (${v})`);
    }
  }

  createScorer(metric: Metric): CodeScorer {
    return new SqScorer(this, metric);
  }

  /** A copy of the trained state (for embedding in an index's file). */
  exportState(): SqCodecState {
    return { dim: this.dim, type: this.type, scale: this.trained && this.type !== 'fp16' ? Float32Array.from(this.scaleBuf.view) : new Float32Array(0), offset: this.trained && this.type !== 'fp16' ? Float32Array.from(this.offsetBuf.view) : new Float32Array(0) };
  }

  /**
   * Rebuilds a codec from exported state; scale/offset that are not finite, or a negative scale, are
   * CORRUPT_DATA (the state came from a file).
   */
  static fromState(state: SqCodecState, kernels?: Kernels): SqCodec {
    const codec = new SqCodec({ dim: state.dim, type: state.type, kernels });
    if (state.type === 'fp16') return codec;
    if (state.scale.length === 0 && state.offset.length === 0) return codec;
    if (state.scale.length !== state.dim || state.offset.length !== state.dim) throw corrupt(`scalar quantizer state has ${state.scale.length}/${state.offset.length} values for dim ${state.dim}`);
    codec.setRanges(state.scale, state.offset);
    return codec;
  }

  /** Installs validated ranges from a file (CORRUPT_DATA when a value is not finite or a scale is negative). */
  private setRanges(scale: Float32Array, offset: Float32Array): void {
    for (let i = 0; i < this.dim; i++) {
      const s = scale[i]!;
      const o = offset[i]!;
      if (!(s >= 0) || s === Infinity || o - o !== 0) throw corrupt(`scalar quantizer range of dimension ${i} is invalid (offset ${o}, scale ${s})`);
      // A range trained on rows add() accepts decodes within MAX_STORED_COMPONENT; a wider one would give Infinity distances.
      const top = o + this.maxLevel * s;
      if (!(Math.max(Math.abs(o), Math.abs(top)) <= MAX_STORED_COMPONENT)) throw corrupt(`scalar quantizer range of dimension ${i} (offset ${o}, scale ${s}) decodes beyond ${MAX_STORED_COMPONENT.toPrecision(3)}`);
    }
    this.scaleBuf.view.set(scale);
    this.offsetBuf.view.set(offset);
    this.trained = true;
  }

  /** Releases kernel-heap memory; the codec must not be used afterwards. */
  free(): void {
    this.scaleBuf.free();
    this.offsetBuf.free();
  }
}

function quantize(v: number, offset: number, scale: number, top: number): number {
  if (!(scale > 0)) return 0;
  const level = Math.floor((v - offset) / scale + 0.5);
  return level < 0 ? 0 : level > top ? top : level;
}

/** Scores a bound query against SQ codes (the query is kept by reference: CodeStorage owns its buffer). */
class SqScorer implements CodeScorer {
  private readonly codec: SqCodec;
  private readonly metric: Metric;
  private query: Float32Array = new Float32Array(0);
  /**
   * SQ8 under l2 only: the query less the offsets, prepared once per query so each code costs one
   * multiply-subtract per dimension. (Dot products decode each value instead: folding q · offset out of
   * the sum would cancel large terms and lose precision.)
   */
  private readonly prepared: HeapArray<Float32Array> | null;

  constructor(codec: SqCodec, metric: Metric) {
    this.codec = codec;
    this.metric = metric;
    this.prepared = codec.type === 'sq8' && metric === 'l2' ? new HeapArray(Float32Array, codec.kernels.heap, codec.dim) : null;
  }

  setQuery(query: Float32Array): void {
    this.query = query;
    if (this.prepared !== null) this.codec.prepareL2Query(query, this.prepared.view);
  }

  block(codes: Uint8Array, codesOff: number, n: number, out: Float32Array): void {
    if (this.prepared === null) this.codec.distanceMany(this.metric, this.query, 0, codes, codesOff, n, out);
    else this.codec.kernels.sq8L2Prepared(this.prepared.view, 0, codes, codesOff, this.codec.codeSize, null, n, this.codec.scales, this.codec.dim, out);
  }

  gather(codes: Uint8Array, slots: Int32Array, n: number, out: Float32Array): void {
    if (this.prepared === null) this.codec.distanceGather(this.metric, this.query, 0, codes, slots, n, out);
    else this.codec.kernels.sq8L2Prepared(this.prepared.view, 0, codes, 0, this.codec.codeSize, slots, n, this.codec.scales, this.codec.dim, out);
  }

  free(): void {
    this.prepared?.free();
  }
}
