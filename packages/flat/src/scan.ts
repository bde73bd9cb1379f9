import type { HeapArray, Kernels, Metric, TopK, VectorStore } from '@annkit/core';

/** What a scan needs; built once per search. */
export interface ScanContext {
  kernels: Kernels;
  metric: Metric;
  store: VectorStore;
  query: Float32Array;
  /** Block of kernel outputs (BLOCK_ROWS long). */
  out: Float32Array;
  topk: TopK;
}

/** Scores every row in blocks with the many-kernel and keeps the best in `topk`. */
export function scanAll(ctx: ScanContext, filter: ((id: number) => boolean) | null, idsBySlot: Float64Array): void {
  const { kernels, metric, store, query, out, topk } = ctx;
  const rows = store.data;
  const stride = store.stride;
  const n = store.size;
  const block = out.length;
  const isL2 = metric === 'l2';
  // dist = sign * raw + bias turns a dot product into the metric's distance (ip: -dot, cosine: 1 - dot).
  const sign = isL2 ? 1 : -1;
  const bias = metric === 'cosine' ? 1 : 0;
  for (let start = 0; start < n; start += block) {
    const count = Math.min(block, n - start);
    if (isL2) kernels.l2Many(query, 0, rows, start * stride, stride, count, stride, out);
    else kernels.dotMany(query, 0, rows, start * stride, stride, count, stride, out);
    let threshold = topk.threshold;
    for (let i = 0; i < count; i++) {
      const d = sign * out[i]! + bias;
      if (d > threshold) continue;
      const slot = start + i;
      if (filter !== null && !filter(idsBySlot[slot]!)) continue;
      if (topk.push(d, slot)) threshold = topk.threshold;
    }
  }
}

/** Scores only the given slots (gather kernel), for small allow-lists. */
export function scanSlots(ctx: ScanContext, slots: Int32Array, slotBuffer: HeapArray<Int32Array>): void {
  const { kernels, metric, store, query, out, topk } = ctx;
  const rows = store.data;
  const stride = store.stride;
  const block = out.length;
  const buf = slotBuffer.view;
  const isL2 = metric === 'l2';
  const sign = isL2 ? 1 : -1;
  const bias = metric === 'cosine' ? 1 : 0;
  for (let start = 0; start < slots.length; start += block) {
    const count = Math.min(block, slots.length - start);
    buf.set(slots.subarray(start, start + count));
    if (isL2) kernels.l2Gather(query, 0, rows, stride, buf, count, stride, out);
    else kernels.dotGather(query, 0, rows, stride, buf, count, stride, out);
    for (let i = 0; i < count; i++) topk.push(sign * out[i]! + bias, buf[i]!);
  }
}
