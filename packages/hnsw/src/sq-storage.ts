import { HeapArray, VectorStore, paddedStride } from '@annkit/core';
import type { Kernels, Metric } from '@annkit/core';
import { CodeStore } from '@annkit/core';
import { SqCodec, SqDistanceComputer } from '@annkit/sq';
import type { GraphDistance } from './float-distance.js';
import type { HnswStorage } from './storage.js';

/**
 * The graph over SQ8 codes (dim bytes per vector instead of 4·dim): queries are scored float-vs-code
 * through the SQ kernels, and links between stored vectors decode one side and score it against the other's
 * code. Optionally keeps the float rows too (`raw`), for exact re-ranking of the final candidates.
 */
export class SqStorage implements HnswStorage {
  readonly dc: SqGraphDistance;
  readonly codec: SqCodec;
  readonly codes: CodeStore;
  readonly raw: VectorStore | null;
  private readonly dim: number;

  constructor(codec: SqCodec, metric: Metric, kernels: Kernels, initialCapacity: number, keepVectors: boolean) {
    this.codec = codec;
    this.dim = codec.dim;
    this.codes = new CodeStore(codec.codeSize, kernels.heap, initialCapacity);
    this.raw = keepVectors ? new VectorStore(codec.dim, kernels.heap, initialCapacity) : null;
    this.dc = new SqGraphDistance(codec, metric, this.codes);
  }

  reserve(slots: number): void {
    this.codes.reserve(slots);
    this.raw?.reserve(slots);
  }

  write(slot: number, src: Float32Array, srcOff: number): void {
    if (slot === this.codes.size) this.codes.appendEmpty();
    this.codec.encodeRow(src, srcOff, this.codes.data, slot * this.codec.codeSize);
    if (this.raw !== null) {
      if (slot === this.raw.size) this.raw.append(src, srcOff);
      else this.raw.write(slot, src, srcOff);
    }
  }

  clear(slot: number): void {
    const size = this.codec.codeSize;
    this.codes.data.fill(0, slot * size, (slot + 1) * size);
    if (this.raw !== null) this.raw.data.fill(0, slot * this.raw.stride, (slot + 1) * this.raw.stride);
  }

  truncate(slots: number): void {
    this.codes.truncate(slots);
    this.raw?.truncate(slots);
  }

  bindQuery(query: Float32Array): void {
    this.dc.setQuery(query);
  }

  bindSlot(slot: number): void {
    this.dc.bindDecoded(slot);
  }

  read(slot: number, out: Float32Array): Float32Array {
    if (this.raw !== null) return this.raw.read(slot, out);
    this.codec.decodeRow(this.codes.data, slot * this.codec.codeSize, out, 0);
    return out;
  }

  bytesFor(slots: number): number {
    return slots * this.codec.codeSize + 8 * this.dim + (this.raw !== null ? slots * this.raw.stride * 4 : 0);
  }

  exportPacked(slots: number): Float32Array {
    const out = new Float32Array(slots * this.dim);
    if (this.raw !== null) for (let s = 0; s < slots; s++) this.raw.read(s, out, s * this.dim);
    return out;
  }

  /** Loads `slots` codes (and raw rows) from a file. */
  restore(slots: number, codes: Uint8Array, raw: Float32Array | null): void {
    this.codes.reserve(slots);
    const size = this.codec.codeSize;
    for (let s = 0; s < slots; s++) this.codes.append(codes, s * size);
    if (this.raw !== null && raw !== null) for (let s = 0; s < slots; s++) this.raw.append(raw, s * this.dim);
  }

  exportCodes(slots: number): Uint8Array {
    return this.codes.data.slice(0, slots * this.codec.codeSize);
  }
}

/** SqDistanceComputer plus what graph building needs: stored-vs-stored distances, one against many. */
export class SqGraphDistance implements GraphDistance {
  private readonly inner: SqDistanceComputer;
  private readonly codec: SqCodec;
  private readonly metric: Metric;
  private readonly source: CodeStore;
  /** One decoded code, in the kernels' heap. */
  private readonly decoded: HeapArray<Float32Array>;
  private readonly one = new Float32Array(1);
  private readonly oneSlot = new Int32Array(1);

  constructor(codec: SqCodec, metric: Metric, source: CodeStore) {
    this.inner = new SqDistanceComputer(codec, metric, source);
    this.codec = codec;
    this.metric = metric;
    this.source = source;
    this.decoded = new HeapArray(Float32Array, codec.kernels.heap, paddedStride(codec.dim));
  }

  setQuery(query: Float32Array): void {
    this.inner.setQuery(query);
  }

  /** Binds the decoded code of `slot` as the query. */
  bindDecoded(slot: number): void {
    const d = this.decoded.view;
    this.codec.decodeRow(this.source.data, slot * this.codec.codeSize, d, 0);
    this.inner.setQuery(d);
  }

  distance(slot: number): number {
    return this.inner.distance(slot);
  }

  distances(slots: Int32Array, n: number, out: Float32Array): void {
    this.inner.distances(slots, n, out);
  }

  between(a: number, b: number): number {
    this.oneSlot[0] = b;
    this.betweenMany(a, this.oneSlot, 1, this.one);
    return this.one[0]!;
  }

  betweenMany(a: number, slots: Int32Array, n: number, out: Float32Array): void {
    // Decoding is linear, so decoded(a) against the codes equals decoding both sides.
    const d = this.decoded.view;
    const codes = this.source.data;
    this.codec.decodeRow(codes, a * this.codec.codeSize, d, 0);
    this.codec.distanceGather(this.metric, d, 0, codes, slots, n, out);
  }
}
