import type { IdMap, QueryDistance, SearchResult, TopK } from '@annkit/core';

/** Rows scored per QueryDistance call: big enough to amortise the call, small enough to stay in cache. */
export const SCAN_BLOCK = 1024;

/**
 * Scores every row in contiguous blocks (one distance call each) and keeps the best in `topk` (labels are
 * slots). The filter, when given, is asked only about rows that would enter the heap.
 */
export function scanAll(distance: QueryDistance, rows: number, out: Float32Array, topk: TopK, filter: ((id: number) => boolean) | null, idsBySlot: Float64Array): void {
  const block = out.length;
  for (let start = 0; start < rows; start += block) {
    const count = Math.min(block, rows - start);
    distance.block(start, count, out);
    let threshold = topk.threshold;
    for (let i = 0; i < count; i++) {
      const d = out[i]!;
      if (d > threshold) continue;
      const slot = start + i;
      if (filter !== null && !filter(idsBySlot[slot]!)) continue;
      if (topk.push(d, slot)) threshold = topk.threshold;
    }
  }
}

/** Scores only the given slots (rows gathered by slot), block by block through `slotBuf` (kernel memory). */
export function scanSlots(distance: QueryDistance, slots: Int32Array, slotBuf: Int32Array, out: Float32Array, topk: TopK): void {
  const block = Math.min(out.length, slotBuf.length);
  for (let start = 0; start < slots.length; start += block) {
    const count = Math.min(block, slots.length - start);
    slotBuf.set(slots.subarray(start, start + count));
    distance.gather(slotBuf, count, out);
    for (let i = 0; i < count; i++) topk.push(out[i]!, slotBuf[i]!);
  }
}

/** The slots of the ids of an allow-list that are stored (absent ids and non-numbers are skipped). */
export function allowedSlots(allow: ReadonlySet<number>, idMap: IdMap): Int32Array {
  const slots = new Int32Array(allow.size);
  let n = 0;
  for (const id of allow) {
    const slot = typeof id === 'number' ? idMap.slotOf(id) : -1;
    if (slot >= 0) slots[n++] = slot;
  }
  return slots.subarray(0, n);
}

/** Drains `topk` (labels are slots) into a result, closest first. */
export function collect(topk: TopK, idMap: IdMap): SearchResult {
  const count = topk.size;
  const distances = new Float32Array(count);
  const slots = new Int32Array(count);
  topk.drainSorted(distances, slots);
  const ids = new Float64Array(count);
  for (let i = 0; i < count; i++) ids[i] = idMap.idOf(slots[i]!);
  return { ids, distances };
}
