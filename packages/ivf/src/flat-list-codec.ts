import { Float32Storage, corrupt, kernelToDistanceInPlace } from '@annkit/core';
import type { Kernels, LongTaskOptions, Metric } from '@annkit/core';
import type { ListCodec } from './list-codec.js';

/**
 * IVF-Flat: each list is a core Float32Storage of the (normalised under cosine) rows themselves, scored with
 * core's float kernels straight from the list's rows; distances are exact.
 */
export class FlatListCodec implements ListCodec<Float32Storage> {
  readonly type = 'flat' as const;
  readonly byResidual = false;
  readonly isTrained = true;
  readonly codeSize: number;
  readonly stateSize = 0;
  private readonly dim: number;
  private readonly metric: Metric;
  private readonly kernels: Kernels;
  private bound: Float32Storage | null = null;
  private query: Float32Array = new Float32Array(0);

  constructor(dim: number, metric: Metric, kernels: Kernels) {
    this.dim = dim;
    this.metric = metric;
    this.kernels = kernels;
    this.codeSize = 4 * dim;
  }

  train(_samples: Float32Array, _opts?: LongTaskOptions): void {
    // Raw floats need no training.
  }

  createList(): Float32Storage {
    return new Float32Storage(this.dim, this.metric, this.kernels, { initialCapacity: 1 });
  }

  freeList(list: Float32Storage): void {
    list.free();
  }

  appendBlock(lists: readonly Float32Storage[], rows: Float32Array, stride: number, n: number, listOf: Int32Array, _c: Float32Array, _cStride: number, pos: Int32Array): void {
    for (let r = 0; r < n; r++) pos[r] = lists[listOf[r]!]!.append(rows, r * stride);
  }

  read(list: Float32Storage, pos: number, _c: Float32Array, _cOff: number, out: Float32Array, outOff: number): void {
    list.read(pos, out, outOff);
  }

  beginQuery(q: Float32Array): void {
    this.query = q;
  }

  beginList(list: Float32Storage): void {
    this.bound = list;
  }

  scan(first: number, n: number, out: Float32Array): void {
    const list = this.bound!;
    const at = first * list.stride;
    if (this.metric === 'l2') {
      this.kernels.l2Many(this.query, 0, list.data, at, list.stride, n, list.rowLength, out);
    } else {
      this.kernels.dotMany(this.query, 0, list.data, at, list.stride, n, list.rowLength, out);
      kernelToDistanceInPlace(this.metric, out, n);
    }
  }

  saveState(): Uint8Array {
    return new Uint8Array(0);
  }

  loadState(bytes: Uint8Array): void {
    if (bytes.byteLength !== 0) throw corrupt('flat lists have no codec state');
  }

  free(): void {
    this.bound = null;
  }
}
