/**
 * Binary heaps of (distance, slot) pairs over parallel typed arrays, preallocated and reused across searches.
 * The beam search drives them inline (its loop is where queries spend their time); these classes own the
 * storage, its growth and the final drain. Ties on distance are left to insertion order: the graph is
 * deterministic without a tie rule.
 */
export class HeapStorage {
  dist: Float32Array;
  slot: Int32Array;
  size = 0;

  constructor(capacity = 64) {
    this.dist = new Float32Array(capacity);
    this.slot = new Int32Array(capacity);
  }

  /** Makes room for `capacity` entries, keeping the current ones. */
  reserve(capacity: number): void {
    if (capacity <= this.dist.length) return;
    const dist = new Float32Array(capacity);
    const slot = new Int32Array(capacity);
    dist.set(this.dist.subarray(0, this.size));
    slot.set(this.slot.subarray(0, this.size));
    this.dist = dist;
    this.slot = slot;
  }
}

/** The result max-heap (largest distance on top) of a beam search. */
export class ResultHeap extends HeapStorage {
  /**
   * Empties the heap into `dists`/`slots` sorted closest first (ties by smaller slot, so the order does
   * not depend on the heap's internal layout); returns the count.
   */
  drainAscending(dists: Float32Array, slots: Int32Array): number {
    const count = this.size;
    for (let out = count - 1; out >= 0; out--) {
      dists[out] = this.dist[0]!;
      slots[out] = this.slot[0]!;
      this.popTop();
    }
    sortTies(dists, slots, count);
    return count;
  }

  private popTop(): void {
    const n = --this.size;
    if (n <= 0) return;
    const dist = this.dist;
    const slot = this.slot;
    const d = dist[n]!;
    const s = slot[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && dist[c + 1]! > dist[c]!) c++;
      if (dist[c]! <= d) break;
      dist[i] = dist[c]!;
      slot[i] = slot[c]!;
      i = c;
    }
    dist[i] = d;
    slot[i] = s;
  }
}

/** Orders runs of equal distance by slot (the list is already sorted by distance). */
function sortTies(dists: Float32Array, slots: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const d = dists[i]!;
    const s = slots[i]!;
    let j = i - 1;
    while (j >= 0 && dists[j] === d && slots[j]! > s) {
      slots[j + 1] = slots[j]!;
      j--;
    }
    slots[j + 1] = s;
  }
}

/** Sorts the first n (dist, slot) pairs ascending by distance, then slot. */
export function sortPairs(dists: Float32Array, slots: Int32Array, n: number): void {
  if (n <= 32) insertionSort(dists, slots, n);
  else heapSort(dists, slots, n);
}

function insertionSort(dists: Float32Array, slots: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const d = dists[i]!;
    const s = slots[i]!;
    let j = i - 1;
    while (j >= 0 && (dists[j]! > d || (dists[j] === d && slots[j]! > s))) {
      dists[j + 1] = dists[j]!;
      slots[j + 1] = slots[j]!;
      j--;
    }
    dists[j + 1] = d;
    slots[j + 1] = s;
  }
}

/** In-place heapsort (a max-heap by (dist, slot), its root moved to the end each round): O(n log n), no allocation. */
function heapSort(dists: Float32Array, slots: Int32Array, n: number): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDownPair(dists, slots, i, n, dists[i]!, slots[i]!);
  for (let end = n - 1; end > 0; end--) {
    const d = dists[end]!;
    const s = slots[end]!;
    dists[end] = dists[0]!;
    slots[end] = slots[0]!;
    siftDownPair(dists, slots, 0, end, d, s);
  }
}

function siftDownPair(dists: Float32Array, slots: Int32Array, start: number, n: number, d: number, s: number): void {
  let i = start;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && after(dists[c + 1]!, slots[c + 1]!, dists[c]!, slots[c]!)) c++;
    if (!after(dists[c]!, slots[c]!, d, s)) break;
    dists[i] = dists[c]!;
    slots[i] = slots[c]!;
    i = c;
  }
  dists[i] = d;
  slots[i] = s;
}

/** Whether (da, sa) sorts after (db, sb). */
function after(da: number, sa: number, db: number, sb: number): boolean {
  return da > db || (da === db && sa > sb);
}
