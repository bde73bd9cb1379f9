/*
 * Every tree of the forest lives in one pool of fixed-width records: one ArrayBuffer seen through an
 * Int32Array and a Float32Array, so the whole forest serialises as one contiguous block and loads as
 * views without copying. A record is `width` 32-bit words: a 4-word header, then a payload that holds a
 * hyperplane's normal (internal nodes) or slot numbers (leaves), as in Annoy where a leaf reuses the
 * space of a normal.
 *
 *   INTERNAL  [0, left, right, bias (f32)]   payload: normal (dim floats)
 *   LEAF      [1, total, next, retryAt]      payload: the first `bucketSize` slots of the leaf
 *   CONT      [2, 0, next, 0]                payload: the next `bucketSize` slots (only leaves that no
 *                                            hyperplane can split, e.g. duplicates, grow a chain)
 *   FREE      [3, 0, nextFree, 0]            payload zeroed; reused before the pool grows
 *
 * `next` is -1 at the end of a chain. A leaf's slots fill its records in order, so record r of a chain
 * holds min(bucketSize, total - r * bucketSize) of them. `retryAt` is the total at which a leaf that
 * could not be split is tried again (0: split as soon as it exceeds the bucket size).
 */

export const INTERNAL = 0;
export const LEAF = 1;
export const CONT = 2;
export const FREE = 3;
export const HEADER_WORDS = 4;
export const NONE = -1;

/** Record width in words for a dimension and bucket size: header + the larger payload, a multiple of 4. */
export function recordWidth(dim: number, bucketSize: number): number {
  const payload = Math.max(dim, bucketSize);
  return HEADER_WORDS + ((payload + 3) & ~3);
}

/** Saved state for rolling back a batch: original words of every record it touched. */
interface Journal {
  baseCount: number;
  freeHead: number;
  saved: Map<number, Int32Array>;
}

export class Forest {
  readonly width: number;
  readonly bucketSize: number;
  /** Root record of each tree; empty until the forest is built. */
  roots: Int32Array;
  ints: Int32Array;
  floats: Float32Array;
  /** Records in use (live or on the free list). */
  count: number;
  freeHead: number;
  /** False while the records are views into bytes given to deserialize(): copied before the first write. */
  private owned: boolean;
  private journal: Journal | null = null;

  private constructor(width: number, bucketSize: number, roots: Int32Array, ints: Int32Array, floats: Float32Array, count: number, freeHead: number, owned: boolean) {
    this.width = width;
    this.bucketSize = bucketSize;
    this.roots = roots;
    this.ints = ints;
    this.floats = floats;
    this.count = count;
    this.freeHead = freeHead;
    this.owned = owned;
  }

  static empty(width: number, bucketSize: number, capacityRecords = 0): Forest {
    const buffer = new ArrayBuffer(capacityRecords * width * 4);
    return new Forest(width, bucketSize, new Int32Array(0), new Int32Array(buffer), new Float32Array(buffer), 0, NONE, true);
  }

  /** Wraps loaded records (views or a private copy) without copying them. */
  static fromWords(width: number, bucketSize: number, roots: Int32Array, ints: Int32Array, count: number, freeHead: number, owned: boolean): Forest {
    const floats = new Float32Array(ints.buffer, ints.byteOffset, ints.length);
    return new Forest(width, bucketSize, roots, ints, floats, count, freeHead, owned);
  }

  get built(): boolean {
    return this.roots.length > 0;
  }

  /** Bytes of the records in use. */
  get bytesUsed(): number {
    return this.count * this.width * 4 + this.roots.byteLength;
  }

  /** The records in use as one Int32Array (a view, no copy). */
  words(): Int32Array {
    return this.ints.subarray(0, this.count * this.width);
  }

  /** Copies loaded records into memory of our own before the first mutation. */
  makeWritable(): void {
    if (!this.owned) this.reallocate(Math.max(this.count, 1));
  }

  /** Releases spare capacity (after a one-shot build, whose size was only estimated). */
  trim(): void {
    if (this.owned && this.ints.length > this.count * this.width) this.reallocate(Math.max(this.count, 1));
  }

  private reallocate(records: number): void {
    const buffer = new ArrayBuffer(records * this.width * 4);
    const ints = new Int32Array(buffer);
    ints.set(this.words());
    this.ints = ints;
    this.floats = new Float32Array(buffer);
    this.owned = true;
  }

  /**
   * A zeroed record: the head of the free list, or a new one at the end (the pool grows by 1.5×).
   * May replace `ints`/`floats`: re-read them after calling.
   */
  alloc(): number {
    const w = this.width;
    if (this.freeHead !== NONE) {
      const node = this.freeHead;
      this.touch(node);
      this.freeHead = this.ints[node * w + 2]!;
      this.ints.fill(0, node * w, node * w + w);
      return node;
    }
    const capacity = this.ints.length / w;
    if (!this.owned || this.count >= capacity) this.reallocate(Math.max(this.count + 1, Math.ceil(capacity * 1.5), 16));
    return this.count++;
  }

  /** Zeroes a record and pushes it on the free list. */
  release(node: number): void {
    this.touch(node);
    const o = node * this.width;
    this.ints.fill(0, o, o + this.width);
    this.ints[o] = FREE;
    this.ints[o + 2] = this.freeHead;
    this.freeHead = node;
  }

  /** Must be called before changing a record that existed when the journal began. */
  touch(node: number): void {
    const j = this.journal;
    if (j === null || node >= j.baseCount || j.saved.has(node)) return;
    const o = node * this.width;
    j.saved.set(node, this.ints.slice(o, o + this.width));
  }

  /** Starts recording changes so that rollback() can restore the forest exactly. */
  beginJournal(): void {
    this.journal = { baseCount: this.count, freeHead: this.freeHead, saved: new Map() };
  }

  endJournal(): void {
    this.journal = null;
  }

  /** Restores the state at beginJournal(): touched records, record count and free list. */
  rollback(): void {
    const j = this.journal;
    if (j === null) return;
    for (const [node, words] of j.saved) this.ints.set(words, node * this.width);
    this.ints.fill(0, j.baseCount * this.width, this.count * this.width);
    this.count = j.baseCount;
    this.freeHead = j.freeHead;
    this.journal = null;
  }
}
