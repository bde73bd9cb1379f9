import { HeapArray } from '@annkit/core';
import type { Heap } from '@annkit/core';

/** Typed arrays a list can hold its rows in: floats (IVF-Flat) or code bytes (SQ, PQ). */
export type RowArray = Float32Array | Uint8Array;
export type RowArrayCtor = Float32ArrayConstructor | Uint8ArrayConstructor;

/**
 * nlist inverted lists. List l holds `size(l)` entries; entry p has its slot (the index's dense row number)
 * at slots(l)[p] and its row (rowLen elements: a padded float row or a code) at rows(l)[p × rowLen].
 * Entries are appended at the end and removed by moving the list's last entry into the hole, so every
 * list stays dense and scans are one contiguous block. Rows live in the kernels' heap when there is one.
 */
export class InvertedLists {
  readonly nlist: number;
  readonly rowLen: number;
  private readonly ctor: RowArrayCtor;
  private readonly heap: Heap | null;
  private readonly rowArrays: HeapArray<RowArray>[] = [];
  private readonly slotArrays: Int32Array[] = [];
  private readonly counts: Int32Array;

  constructor(nlist: number, rowLen: number, ctor: RowArrayCtor, heap: Heap | null) {
    this.nlist = nlist;
    this.rowLen = rowLen;
    this.ctor = ctor;
    this.heap = heap;
    this.counts = new Int32Array(nlist);
    for (let l = 0; l < nlist; l++) {
      this.rowArrays.push(new HeapArray<RowArray>(ctor as never, heap, 0));
      this.slotArrays.push(new Int32Array(0));
    }
  }

  size(list: number): number {
    return this.counts[list]!;
  }

  /** Sizes of all lists (a live view: do not mutate). */
  get sizes(): Int32Array {
    return this.counts;
  }

  /** Current rows of a list (entry p at p × rowLen). Re-read after anything that may allocate. */
  rows(list: number): RowArray {
    return this.rowArrays[list]!.view;
  }

  slots(list: number): Int32Array {
    return this.slotArrays[list]!;
  }

  /** Room for `extra` more entries in `list` (so a batch allocates once per list). */
  reserve(list: number, extra: number): void {
    const need = this.counts[list]! + extra;
    const slots = this.slotArrays[list]!;
    if (need <= slots.length) return;
    const capacity = Math.max(need, Math.ceil(slots.length * 1.5), 8);
    const nextSlots = new Int32Array(capacity);
    nextSlots.set(slots.subarray(0, this.counts[list]!));
    this.slotArrays[list] = nextSlots;
    this.rowArrays[list]!.resize(capacity * this.rowLen);
  }

  /** Appends an entry for `slot` with a zeroed row; returns its position (write the row through rows(list)). */
  append(list: number, slot: number): number {
    this.reserve(list, 1);
    const pos = this.counts[list]!;
    this.slotArrays[list]![pos] = slot;
    this.counts[list] = pos + 1;
    return pos;
  }

  /**
   * Removes entry `pos` by moving the list's last entry into it. Returns the slot of the entry that moved
   * (now at `pos`), or -1 when `pos` was the last entry.
   */
  removeAt(list: number, pos: number): number {
    const last = this.counts[list]! - 1;
    const slots = this.slotArrays[list]!;
    const rows = this.rowArrays[list]!.view;
    const len = this.rowLen;
    let moved = -1;
    if (pos !== last) {
      slots[pos] = slots[last]!;
      rows.copyWithin(pos * len, last * len, (last + 1) * len);
      moved = slots[pos]!;
    }
    rows.fill(0, last * len, (last + 1) * len);
    this.counts[list] = last;
    return moved;
  }

  /** Rewrites which slot entry `pos` of `list` belongs to (after the index renumbered its slots). */
  setSlot(list: number, pos: number, slot: number): void {
    this.slotArrays[list]![pos] = slot;
  }

  /** Total entries. */
  get total(): number {
    let t = 0;
    for (let l = 0; l < this.nlist; l++) t += this.counts[l]!;
    return t;
  }

  /** Bytes of rows and slots in use. */
  get bytesUsed(): number {
    return this.total * (this.rowLen * this.ctor.BYTES_PER_ELEMENT + 4);
  }

  free(): void {
    for (const r of this.rowArrays) r.free();
  }
}
