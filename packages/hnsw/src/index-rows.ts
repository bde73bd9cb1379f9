import { CodeStorage, Float32Storage } from '@annkit/core';
import type { Kernels, Metric, RowCodec, VectorStorage } from '@annkit/core';
import { PqCodec } from '@annkit/pq';
import { SqCodec } from '@annkit/sq';
import { level0For } from './level0.js';
import type { Level0Links } from './level0.js';
import type { HnswStorageKind, PqParams } from './options.js';

/** What decides how an index stores its rows. */
export interface RowsConfig {
  dim: number;
  metric: Metric;
  m: number;
  storage: HnswStorageKind;
  pq: PqParams | null;
  keepVectors: boolean;
  initialCapacity: number;
}

/**
 * The rows of an HNSW index, slot for slot with the graph: the storage the graph is built and searched on
 * (float32, fp16, SQ8 or PQ — seen only as a VectorStorage), the exact float rows kept beside quantized ones
 * for re-ranking (`raw`), and the level-0 links (inside float rows, else apart).
 */
export class IndexRows {
  readonly vectors: VectorStorage;
  readonly raw: VectorStorage | null;
  readonly level0: Level0Links;
  /** Whether the level-0 links live inside the rows' blocks (their bytes are the rows'). */
  private readonly linksInRows: boolean;
  /** Whether read() gives back rows exactly as written (float rows, or quantized ones with the floats kept). */
  readonly exact: boolean;

  constructor(c: RowsConfig, kernels: Kernels) {
    const blockInts = 2 * c.m + 1;
    this.vectors = c.storage === 'float32'
      ? new Float32Storage(c.dim, c.metric, kernels, { initialCapacity: c.initialCapacity, extraInts: blockInts })
      : new CodeStorage(createCodec(c, kernels), c.metric, kernels, c.initialCapacity);
    this.raw = c.keepVectors ? new Float32Storage(c.dim, c.metric, kernels, { initialCapacity: c.initialCapacity }) : null;
    this.level0 = level0For(this.vectors, blockInts, c.initialCapacity);
    this.linksInRows = (this.level0 as object) === this.vectors;
    this.exact = c.storage === 'float32' || this.raw !== null;
  }

  reserve(slots: number): void {
    this.vectors.reserve(slots);
    this.raw?.reserve(slots);
  }

  /** Stores a prepared row at `slot` (slot ≤ the rows in use; slot = size appends). */
  write(slot: number, src: Float32Array, srcOff: number): void {
    this.vectors.write(slot, src, srcOff);
    this.raw?.write(slot, src, srcOff);
  }

  /** Zeroes the rows of a released slot. */
  clear(slot: number): void {
    this.vectors.clear(slot);
    this.raw?.clear(slot);
  }

  truncate(slots: number): void {
    this.vectors.truncate(slots);
    this.raw?.truncate(slots);
  }

  /** The exact row when it is kept, else the stored (decoded) one. */
  read(slot: number, out: Float32Array): Float32Array {
    return (this.raw ?? this.vectors).read(slot, out, 0);
  }

  /** Bytes held for the rows in use, trained state and level-0 links. */
  get bytesUsed(): number {
    const links = this.linksInRows ? 0 : this.vectors.size * this.level0.stride * 4;
    return this.vectors.bytesUsed + (this.raw?.bytesUsed ?? 0) + links;
  }
}

function createCodec(c: RowsConfig, kernels: Kernels): RowCodec {
  if (c.storage === 'pq') {
    const pq = c.pq!;
    return new PqCodec({ dim: c.dim, m: pq.m, nbits: pq.nbits, niter: pq.niter, kernels });
  }
  return new SqCodec({ dim: c.dim, type: c.storage === 'fp16' ? 'fp16' : 'sq8', kernels });
}
