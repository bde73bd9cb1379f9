import { HeapArray } from '@annkit/core';
import type { DistanceComputer, Metric } from '@annkit/core';
import type { PqCodec } from './pq-codec.js';

/** Where the codes live: anything with a current `data` view, e.g. a CodeStore (slot s at s × codeSize). */
export interface CodeSource {
  readonly data: Uint8Array;
}

/**
 * DistanceComputer over PQ codes: setQuery builds the ADC table once, then each distance is m lookups.
 * The query must be prepared (normalised under cosine). `between` is the symmetric (SDC) distance.
 */
export class PqDistanceComputer implements DistanceComputer {
  readonly codec: PqCodec;
  readonly metric: Metric;
  private readonly source: CodeSource;
  private readonly table: HeapArray<Float32Array>;
  private readonly one = new Float32Array(1);
  private readonly oneSlot = new Int32Array(1);

  constructor(codec: PqCodec, metric: Metric, source: CodeSource) {
    this.codec = codec;
    this.metric = metric;
    this.source = source;
    this.table = new HeapArray(Float32Array, codec.kernels.heap, codec.tableSize);
  }

  setQuery(query: Float32Array): void {
    this.codec.buildTable(query, 0, this.metric, this.table.view);
  }

  distance(slot: number): number {
    this.oneSlot[0] = slot;
    this.codec.scanGather(this.table.view, this.source.data, this.oneSlot, 1, this.one);
    return toDistance(this.metric, this.one[0]!);
  }

  distances(slots: Int32Array, n: number, out: Float32Array): void {
    this.codec.scanGather(this.table.view, this.source.data, slots, n, out);
    convert(this.metric, out, n);
  }

  /** Distances to n consecutive slots from `first` (a block scan). */
  distancesRange(first: number, n: number, out: Float32Array): void {
    this.codec.scanBlock(this.table.view, this.source.data, first * this.codec.codeSize, n, out);
    convert(this.metric, out, n);
  }

  between(a: number, b: number): number {
    const size = this.codec.codeSize;
    return this.codec.symmetricDistance(this.metric, this.source.data, a * size, b * size);
  }

  free(): void {
    this.table.free();
  }
}

/** Raw ADC sums (l2, or dot) → the metric's distance. */
export function toDistance(metric: Metric, raw: number): number {
  return metric === 'l2' ? raw : metric === 'ip' ? -raw : 1 - raw;
}

/** In place over out[0 .. n). */
export function convert(metric: Metric, out: Float32Array, n: number): void {
  if (metric === 'ip') for (let i = 0; i < n; i++) out[i] = -out[i]!;
  else if (metric === 'cosine') for (let i = 0; i < n; i++) out[i] = 1 - out[i]!;
}
