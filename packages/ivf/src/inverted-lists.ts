import type { VectorStorage } from '@annkit/core';
import type { ListFactory } from './list-codec.js';

/**
 * nlist inverted lists. List l is a VectorStorage whose entry p holds one vector (float row or code), and
 * slots(l)[p] is the index's dense slot of that vector. Entries are appended at the end and removed by moving
 * the list's last entry into the hole (the storage's swapRemove), so every list stays dense and a scan is one
 * contiguous block.
 */
export class InvertedLists<L extends VectorStorage = VectorStorage> {
  readonly nlist: number;
  private readonly factory: ListFactory<L>;
  private readonly lists: L[] = [];
  private readonly slotArrays: Int32Array[] = [];
  /** Entries per list of the block being reserved (all zero between calls). */
  private readonly pending: Int32Array;

  constructor(nlist: number, factory: ListFactory<L>) {
    this.nlist = nlist;
    this.factory = factory;
    this.pending = new Int32Array(nlist);
    for (let l = 0; l < nlist; l++) {
      this.lists.push(factory.createList());
      this.slotArrays.push(new Int32Array(0));
    }
  }

  size(list: number): number {
    return this.lists[list]!.size;
  }

  /** Every list's storage, by list number. */
  get storages(): readonly L[] {
    return this.lists;
  }

  /** The storage of a list (entry p in slot p). */
  storage(list: number): L {
    return this.lists[list]!;
  }

  slots(list: number): Int32Array {
    return this.slotArrays[list]!;
  }

  /** Room for `extra` more entries in `list` (may grow the kernels' heap: read views after it). */
  reserve(list: number, extra: number): void {
    const need = this.size(list) + extra;
    const slots = this.slotArrays[list]!;
    if (need > slots.length) {
      const next = new Int32Array(Math.max(need, Math.ceil(slots.length * 1.5), 8));
      next.set(slots.subarray(0, this.size(list)));
      this.slotArrays[list] = next;
    }
    this.lists[list]!.reserve(need);
  }

  /**
   * Room for n new entries, entry r in list listOf[r] (may grow the kernels' heap: read views after it).
   * listOf must not live in that heap.
   */
  reserveFor(listOf: Int32Array, n: number): void {
    const pending = this.pending;
    for (let r = 0; r < n; r++) pending[listOf[r]!]!++;
    for (let r = 0; r < n; r++) {
      const list = listOf[r]!;
      if (pending[list]! === 0) continue;
      this.reserve(list, pending[list]!);
      pending[list] = 0;
    }
  }

  /** Records which slot entry `pos` of `list` belongs to (after an append, or when the index renumbers). */
  setSlot(list: number, pos: number, slot: number): void {
    this.slotArrays[list]![pos] = slot;
  }

  /**
   * Removes entry `pos` by moving the list's last entry into it. Returns the slot of the entry that moved
   * (now at `pos`), or -1 when `pos` was the last entry.
   */
  removeAt(list: number, pos: number): number {
    const from = this.lists[list]!.swapRemove(pos);
    if (from < 0) return -1;
    const slots = this.slotArrays[list]!;
    slots[pos] = slots[from]!;
    return slots[pos]!;
  }

  /** Total entries. */
  get total(): number {
    let t = 0;
    for (let l = 0; l < this.nlist; l++) t += this.size(l);
    return t;
  }

  free(): void {
    for (const s of this.lists) this.factory.freeList(s);
  }
}
