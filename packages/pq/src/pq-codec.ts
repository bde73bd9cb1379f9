import { AnnkitError, HeapArray, MAX_STORED_COMPONENT, ProgressTracker, assertDim, assertFloat32Array, assertPositiveInt, corrupt, jsKernels, throwIfAborted, optionOr } from '@annkit/core';
import { kernelToDistance, kernelToDistanceInPlace } from '@annkit/core';
import type { CodeScorer, Kernels, LongTaskOptions, Metric, RowCodec } from '@annkit/core';
import { kmeans } from '@annkit/kmeans';

/** Rows encoded per nearest-centroid kernel call. */
const ENCODE_BLOCK = 256;

/** Bytes per code: m (nbits 8) or ceil(m / 2) (nbits 4, two sub-quantizers per byte). */
export function pqCodeSize(m: number, nbits: 4 | 8): number {
  return nbits === 8 ? m : (m + 1) >> 1;
}

export interface PqCodecOptions {
  dim: number;
  /** Sub-quantizers; must divide dim (each takes dsub = dim / m values). */
  m: number;
  /** Bits per sub-quantizer code: 8 (default, 256 centroids, m bytes per code) or 4 (16, ceil(m/2) bytes). */
  nbits?: 4 | 8;
  /** k-means iterations per sub-quantizer (default 25). */
  niter?: number;
  /** Seed for training (sub-quantizer j uses seed + j). Default 1234. */
  seed?: number;
  /** k-means subsampling cap per centroid (default 256, so at most 256 × 2^nbits rows per sub-quantizer). */
  maxPointsPerCentroid?: number;
  kernels?: Kernels;
}

/**
 * Product quantizer: the vector is cut into m sub-vectors of dsub values, each replaced by the index of its
 * nearest centroid in that sub-space's codebook of ksub = 2^nbits centroids (trained by k-means).
 *
 * Search is asymmetric (ADC): buildTable() computes, once per query, the distance (l2) or dot product
 * (ip/cosine) between each query sub-vector and every centroid of its codebook; a code's score is then the
 * sum of m table lookups (scanBlock / scanGather). Code-to-code distances (SDC) use centroid-to-centroid
 * tables built on first use.
 */
export class PqCodec implements RowCodec {
  readonly kind = 'pq' as const;
  readonly dim: number;
  readonly m: number;
  readonly nbits: 4 | 8;
  readonly ksub: number;
  readonly dsub: number;
  readonly codeSize: number;
  readonly kernels: Kernels;
  readonly niter: number;
  readonly seed: number;
  readonly maxPointsPerCentroid: number;
  /** Notes from the last training (e.g. fewer samples than centroids). */
  trainWarnings: string[] = [];
  private centroidBuf: HeapArray<Float32Array>;
  private trained = false;
  private readonly assignIdx: HeapArray<Int32Array>;
  private readonly assignDist: HeapArray<Float32Array>;
  private bookBase: Float32Array | null = null;
  private bookViews: Float32Array[] = [];
  private sdcL2: Float32Array | null = null;
  private sdcDot: Float32Array | null = null;

  constructor(options: PqCodecOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'PqCodec takes an options object { dim, m, nbits }.');
    assertDim(options.dim);
    assertPositiveInt('m', options.m, options.dim);
    if (options.dim % options.m !== 0) throw new AnnkitError('INVALID_ARGUMENT', `m = ${options.m} must divide dim ${options.dim} (each sub-quantizer takes dim / m values).`);
    const nbits = optionOr(options.nbits, 8);
    if (nbits !== 4 && nbits !== 8) throw new AnnkitError('INVALID_ARGUMENT', `nbits must be 4 or 8, got ${String(nbits)}.`);
    const niter = optionOr(options.niter, 25);
    assertPositiveInt('niter', niter, 100_000);
    const seed = optionOr(options.seed, 1234);
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new AnnkitError('INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}.`);
    const maxPointsPerCentroid = optionOr(options.maxPointsPerCentroid, 256);
    assertPositiveInt('maxPointsPerCentroid', maxPointsPerCentroid);
    this.dim = options.dim;
    this.m = options.m;
    this.nbits = nbits;
    this.ksub = 1 << nbits;
    this.dsub = options.dim / options.m;
    this.codeSize = pqCodeSize(this.m, nbits);
    this.kernels = options.kernels ?? jsKernels;
    this.niter = niter;
    this.seed = seed;
    this.maxPointsPerCentroid = maxPointsPerCentroid;
    // Codebooks are allocated when trained or loaded: an untrained codec (or a crafted untrained file with a
    // huge dim) holds nothing.
    this.centroidBuf = new HeapArray(Float32Array, this.kernels.heap, 0);
    // Allocated once, here: encoding never allocates, so callers' heap views stay valid across it.
    this.assignIdx = new HeapArray(Int32Array, this.kernels.heap, ENCODE_BLOCK);
    this.assignDist = new HeapArray(Float32Array, this.kernels.heap, ENCODE_BLOCK);
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /** Codebooks: centroid c of sub-quantizer j at (j × ksub + c) × dsub. Re-read after allocations. */
  get centroids(): Float32Array {
    return this.centroidBuf.view;
  }

  /** Floats in the table buildTable() fills (m × ksub). */
  get tableSize(): number {
    return this.m * this.ksub;
  }

  /**
   * Trains the m codebooks by k-means on n × dim samples. With fewer than ksub samples a codebook gets
   * fewer distinct centroids; the remaining entries repeat the last one and are never chosen (see
   * trainWarnings). Atomic: a failure or abort leaves the codec as it was.
   */
  train(samples: Float32Array, opts?: LongTaskOptions): void {
    assertFloat32Array('samples', samples);
    const { dim, m, ksub, dsub } = this;
    if (samples.length % dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${dim}.`);
    const n = samples.length / dim;
    if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'PqCodec.train needs at least one sample row; got none.');
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!;
      if (v - v !== 0) throw new AnnkitError('INVALID_VECTOR', `samples row ${Math.floor(i / dim)} has a non-finite value (${v}).`);
    }
    const progress = new ProgressTracker(opts, 'train', m);
    const books = new Float32Array(m * ksub * dsub);
    const sub = new Float32Array(n * dsub);
    const warnings: string[] = [];
    for (let j = 0; j < m; j++) {
      throwIfAborted(opts?.signal);
      for (let r = 0; r < n; r++) for (let i = 0; i < dsub; i++) sub[r * dsub + i] = samples[r * dim + j * dsub + i]!;
      const result = kmeans(sub, { k: ksub, dim: dsub, niter: this.niter, seed: this.seed + j, maxPointsPerCentroid: this.maxPointsPerCentroid, kernels: this.kernels, signal: opts?.signal });
      const base = j * ksub * dsub;
      books.set(result.centroids, base);
      for (let c = result.k; c < ksub; c++) books.copyWithin(base + c * dsub, base + (result.k - 1) * dsub, base + result.k * dsub);
      if (j === 0) warnings.push(...result.warnings.filter((w) => !w.startsWith('Trained on a seeded subsample')));
      progress.tick();
    }
    this.centroidBuf.resize(books.length);
    this.centroidBuf.view.set(books);
    this.trained = true;
    this.trainWarnings = warnings;
    this.sdcL2 = null;
    this.sdcDot = null;
    progress.finish();
  }

  private requireTrained(): void {
    if (!this.trained) throw new AnnkitError('NOT_TRAINED', 'This PqCodec has not been trained; call train(samples) first.');
  }

  /** Encodes n rows (row-major, dim apart) into out@outOff, codeSize bytes each. */
  encode(vectors: Float32Array, n: number, out: Uint8Array, outOff = 0): void {
    this.requireTrained();
    this.encodeBlock(vectors, 0, this.dim, n, out, outOff);
  }

  /** Encodes the dim values at src@srcOff (nearest centroid per sub-vector, by squared distance). */
  encodeRow(src: Float32Array, srcOff: number, out: Uint8Array, outOff: number): void {
    this.encodeBlock(src, srcOff, this.dim, 1, out, outOff);
  }

  /**
   * Encodes n rows that start at src@srcOff, `srcStride` floats apart, into consecutive codes at out@outOff:
   * one nearest-centroid kernel call per sub-quantizer and block of rows.
   */
  encodeBlock(src: Float32Array, srcOff: number, srcStride: number, n: number, out: Uint8Array, outOff: number): void {
    const { m, ksub, dsub, codeSize } = this;
    if (this.nbits === 4) out.fill(0, outOff, outOff + n * codeSize);
    for (let b = 0; b < n; b += ENCODE_BLOCK) {
      const count = Math.min(ENCODE_BLOCK, n - b);
      for (let j = 0; j < m; j++) {
        const idx = this.assignIdx.view;
        this.kernels.assignNearest(src, srcOff + b * srcStride + j * dsub, srcStride, count, this.book(j), dsub, ksub, dsub, 'l2', idx, this.assignDist.view);
        for (let r = 0; r < count; r++) {
          const c = idx[r]!;
          const at = outOff + (b + r) * codeSize;
          if (this.nbits === 8) out[at + j] = c;
          else out[at + (j >> 1)] = out[at + (j >> 1)]! | (c << ((j & 1) << 2));
        }
      }
    }
  }

  /** Codebook j as a view (views are rebuilt when the kernels' memory was replaced). */
  private book(j: number): Float32Array {
    const all = this.centroidBuf.view;
    if (all !== this.bookBase) {
      this.bookBase = all;
      const size = this.ksub * this.dsub;
      this.bookViews = [];
      for (let i = 0; i < this.m; i++) this.bookViews.push(all.subarray(i * size, (i + 1) * size));
    }
    return this.bookViews[j]!;
  }

  /** Decodes n codes from codes@codesOff into row-major floats in out. */
  decode(codes: Uint8Array, n: number, out: Float32Array, codesOff = 0): void {
    this.requireTrained();
    for (let r = 0; r < n; r++) this.decodeRow(codes, codesOff + r * this.codeSize, out, r * this.dim);
  }

  decodeRow(codes: Uint8Array, codesOff: number, out: Float32Array, outOff: number): void {
    const { m, ksub, dsub } = this;
    const books = this.centroidBuf.view;
    for (let j = 0; j < m; j++) {
      const c = this.codeAt(codes, codesOff, j);
      const co = (j * ksub + c) * dsub;
      for (let i = 0; i < dsub; i++) out[outOff + j * dsub + i] = books[co + i]!;
    }
  }

  /** Centroid index of sub-quantizer j in the code at codes@off. */
  codeAt(codes: Uint8Array, off: number, j: number): number {
    return this.nbits === 8 ? codes[off + j]! : (codes[off + (j >> 1)]! >> ((j & 1) << 2)) & 15;
  }

  /**
   * ADC table for the prepared query q@qOff: table[j × ksub + c] is the squared distance ('l2') or the dot
   * product ('ip'/'cosine') between sub-vector j of the query and centroid c of codebook j.
   */
  buildTable(q: Float32Array, qOff: number, metric: Metric, table: Float32Array): void {
    this.kernels.pqBuildTable(q, qOff, this.centroidBuf.view, this.m, this.ksub, this.dsub, metric === 'l2' ? 'l2' : 'ip', table);
  }

  /** out[i] = sum of table lookups for n consecutive codes from codes@codesOff (raw: l2 or dot). */
  scanBlock(table: Float32Array, codes: Uint8Array, codesOff: number, n: number, out: Float32Array): void {
    if (this.nbits === 8) this.kernels.pqScanBlock(table, codes, codesOff, this.m, n, out);
    else this.kernels.pqScanBlock4(table, codes, codesOff, this.m, n, out);
  }

  /** Like scanBlock for the codes of `slots` (slot s at s × codeSize). */
  scanGather(table: Float32Array, codes: Uint8Array, slots: Int32Array, n: number, out: Float32Array): void {
    if (this.nbits === 8) this.kernels.pqScanGather(table, codes, slots, this.m, n, out);
    else this.kernels.pqScanGather4(table, codes, slots, this.m, n, out);
  }

  /** Symmetric distance (SDC) between two codes, in the metric's convention, via centroid-to-centroid tables. */
  symmetricDistance(metric: Metric, codes: Uint8Array, aOff: number, bOff: number): number {
    const l2 = metric === 'l2';
    const table = l2 ? (this.sdcL2 ??= this.buildSdc(true)) : (this.sdcDot ??= this.buildSdc(false));
    const { m, ksub } = this;
    let s = 0;
    for (let j = 0; j < m; j++) s += table[(j * ksub + this.codeAt(codes, aOff, j)) * ksub + this.codeAt(codes, bOff, j)]!;
    return kernelToDistance(metric, s);
  }

  /** m × ksub × ksub table of l2 (or dot) between centroids of the same codebook. */
  private buildSdc(l2: boolean): Float32Array {
    const { m, ksub, dsub } = this;
    const books = this.centroidBuf.view;
    const t = new Float32Array(m * ksub * ksub);
    for (let j = 0; j < m; j++) {
      for (let a = 0; a < ksub; a++) {
        const ao = (j * ksub + a) * dsub;
        for (let b = 0; b < ksub; b++) {
          const bo = (j * ksub + b) * dsub;
          let s = 0;
          for (let i = 0; i < dsub; i++) s += l2 ? (books[ao + i]! - books[bo + i]!) ** 2 : books[ao + i]! * books[bo + i]!;
          t[(j * ksub + a) * ksub + b] = s;
        }
      }
    }
    return t;
  }

  /** Bytes of trained state (the codebooks). */
  get stateSize(): number {
    return 4 * this.m * this.ksub * this.dsub;
  }

  /** The codebooks as bytes (empty when untrained). */
  saveState(): Uint8Array {
    return new Uint8Array(this.exportState().buffer);
  }

  loadState(bytes: Uint8Array): void {
    if (bytes.byteLength % 4 !== 0) throw corrupt(`PQ codebooks take a multiple of 4 bytes, got ${bytes.byteLength}`);
    this.setCodebooks(new Float32Array(new Uint8Array(bytes).buffer));
  }

  /** Every byte is a valid code for nbits = 8; for nbits = 4 both nibbles are (a spare high nibble is ignored). */
  validateCodes(): void {
    // Nothing to check: any code indexes a centroid.
  }

  createScorer(metric: Metric): CodeScorer {
    return new PqScorer(this, metric);
  }

  /** Packed copy of the codebooks (m × ksub × dsub floats); empty when untrained. */
  exportState(): Float32Array {
    return this.trained ? Float32Array.from(this.centroidBuf.view) : new Float32Array(0);
  }

  /** A trained codec from exported codebooks (CORRUPT_DATA when they do not fit or are not finite). */
  static fromState(options: PqCodecOptions, codebooks: Float32Array): PqCodec {
    const codec = new PqCodec(options);
    codec.setCodebooks(codebooks);
    return codec;
  }

  /** Installs codebooks from a file (CORRUPT_DATA when they do not fit or are not finite). */
  private setCodebooks(codebooks: Float32Array): void {
    if (codebooks.length !== this.m * this.ksub * this.dsub) throw corrupt(`PQ codebooks hold ${codebooks.length} values, expected ${this.m * this.ksub * this.dsub}`);
    for (let i = 0; i < codebooks.length; i++) {
      const v = codebooks[i]!;
      if (v - v !== 0) throw corrupt(`PQ codebook value ${v} is not finite`);
      // Centroids are means of rows add() accepts; a larger value would give Infinity distances.
      if (!(Math.abs(v) <= MAX_STORED_COMPONENT)) throw corrupt(`PQ codebook value ${v} is beyond ${MAX_STORED_COMPONENT.toPrecision(3)}`);
    }
    this.centroidBuf.resize(codebooks.length);
    this.centroidBuf.view.set(codebooks);
    this.trained = true;
    this.sdcL2 = null;
    this.sdcDot = null;
  }

  free(): void {
    this.centroidBuf.free();
    this.assignIdx.free();
    this.assignDist.free();
  }
}

/** ADC scoring: binding a query builds its m × ksub table once; each code then costs m lookups. */
class PqScorer implements CodeScorer {
  private readonly codec: PqCodec;
  private readonly metric: Metric;
  private readonly table: HeapArray<Float32Array>;

  constructor(codec: PqCodec, metric: Metric) {
    this.codec = codec;
    this.metric = metric;
    this.table = new HeapArray(Float32Array, codec.kernels.heap, codec.tableSize);
  }

  setQuery(query: Float32Array): void {
    this.codec.buildTable(query, 0, this.metric, this.table.view);
  }

  block(codes: Uint8Array, codesOff: number, n: number, out: Float32Array): void {
    this.codec.scanBlock(this.table.view, codes, codesOff, n, out);
    kernelToDistanceInPlace(this.metric, out, n);
  }

  gather(codes: Uint8Array, slots: Int32Array, n: number, out: Float32Array): void {
    this.codec.scanGather(this.table.view, codes, slots, n, out);
    kernelToDistanceInPlace(this.metric, out, n);
  }

  free(): void {
    this.table.free();
  }
}
