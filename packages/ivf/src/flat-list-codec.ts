import type { Kernels, Metric } from '@annkit/core';
import { paddedStride } from '@annkit/core';
import type { ListCodec } from './list-codec.js';
import type { RowArray } from './inverted-lists.js';

/** IVF-Flat: lists hold the (normalised under cosine) float rows themselves; distances are exact. */
export class FlatListCodec implements ListCodec {
  readonly type = 'flat' as const;
  readonly metric: Metric;
  readonly rowLen: number;
  readonly rowCtor = Float32Array;
  readonly byResidual = false;
  readonly isTrained = true;
  readonly stateBytes = 0;
  private readonly dim: number;
  private readonly kernels: Kernels;
  private query: Float32Array = new Float32Array(0);

  constructor(dim: number, metric: Metric, kernels: Kernels) {
    this.dim = dim;
    this.metric = metric;
    this.kernels = kernels;
    this.rowLen = paddedStride(dim);
  }

  train(): void {}

  exportState(): Uint8Array {
    return new Uint8Array(0);
  }

  encode(v: Float32Array, vOff: number, _c: Float32Array, _cOff: number, rows: RowArray, rowOff: number): void {
    for (let i = 0; i < this.dim; i++) rows[rowOff + i] = v[vOff + i]!;
  }

  decode(rows: RowArray, rowOff: number, _c: Float32Array, _cOff: number, out: Float32Array, outOff: number): void {
    for (let i = 0; i < this.dim; i++) out[outOff + i] = rows[rowOff + i]!;
  }

  beginQuery(q: Float32Array): void {
    this.query = q;
  }

  beginList(): void {}

  scan(rows: RowArray, first: number, n: number, out: Float32Array): void {
    const floats = rows as Float32Array;
    const stride = this.rowLen;
    if (this.metric === 'l2') {
      this.kernels.l2Many(this.query, 0, floats, first * stride, stride, n, this.dim, out);
      return;
    }
    this.kernels.dotMany(this.query, 0, floats, first * stride, stride, n, this.dim, out);
    if (this.metric === 'ip') for (let j = 0; j < n; j++) out[j] = -out[j]!;
    else for (let j = 0; j < n; j++) out[j] = 1 - out[j]!;
  }

  free(): void {}
}
