import { HeapArray, paddedStride } from '@annkit/core';
import type { DistanceComputer, Metric } from '@annkit/core';
import type { SqCodec } from './sq-codec.js';

/** Where the codes live: anything with a current `data` view, e.g. a CodeStore (slot s at s × codeSize). */
export interface CodeSource {
  readonly data: Uint8Array;
}

/**
 * DistanceComputer over SQ codes: what a graph (HNSW) or a scan sees of quantized storage. The query is
 * bound once with setQuery (already validated and normalised under cosine); every distance is then
 * float query vs code, in the metric's convention (smaller is closer). `between` decodes both codes.
 */
export class SqDistanceComputer implements DistanceComputer {
  readonly codec: SqCodec;
  readonly metric: Metric;
  private readonly source: CodeSource;
  private readonly query: HeapArray<Float32Array>;
  private readonly one: Float32Array = new Float32Array(1);

  constructor(codec: SqCodec, metric: Metric, source: CodeSource) {
    this.codec = codec;
    this.metric = metric;
    this.source = source;
    this.query = new HeapArray(Float32Array, codec.kernels.heap, paddedStride(codec.dim));
  }

  setQuery(query: Float32Array): void {
    const q = this.query.view;
    for (let i = 0; i < this.codec.dim; i++) q[i] = query[i]!;
  }

  /** The bound query (padded copy). */
  get boundQuery(): Float32Array {
    return this.query.view;
  }

  distance(slot: number): number {
    this.codec.distanceMany(this.metric, this.query.view, 0, this.source.data, slot * this.codec.codeSize, 1, this.one);
    return this.one[0]!;
  }

  distances(slots: Int32Array, n: number, out: Float32Array): void {
    this.codec.distanceGather(this.metric, this.query.view, 0, this.source.data, slots, n, out);
  }

  /** Distances to n consecutive slots from `first` (a block scan). */
  distancesRange(first: number, n: number, out: Float32Array): void {
    this.codec.distanceMany(this.metric, this.query.view, 0, this.source.data, first * this.codec.codeSize, n, out);
  }

  between(a: number, b: number): number {
    const size = this.codec.codeSize;
    return this.codec.between(this.metric, this.source.data, a * size, b * size);
  }

  free(): void {
    this.query.free();
  }
}
