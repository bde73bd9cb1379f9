import { AnnkitError } from './errors.js';

/** Two-way map between the user's ids and dense internal slots. */
export class IdMap {
  private readonly slotById = new Map<number, number>();
  private ids: Float64Array;

  constructor(initialCapacity = 64) {
    this.ids = new Float64Array(Math.max(1, initialCapacity));
  }

  get size(): number {
    return this.slotById.size;
  }

  has(id: number): boolean {
    return this.slotById.has(id);
  }

  /** The slot of `id`, or -1 when absent. */
  slotOf(id: number): number {
    const slot = this.slotById.get(id);
    return slot === undefined ? -1 : slot;
  }

  /** The id at `slot` (the caller guarantees the slot is in use). */
  idOf(slot: number): number {
    return this.ids[slot]!;
  }

  /** Slot → id array (first `size` entries meaningful for dense stores). */
  get idsBySlot(): Float64Array {
    return this.ids;
  }

  set(id: number, slot: number): void {
    if (slot >= this.ids.length) {
      const next = new Float64Array(Math.max(slot + 1, Math.ceil(this.ids.length * 1.5)));
      next.set(this.ids);
      this.ids = next;
    }
    this.ids[slot] = id;
    this.slotById.set(id, slot);
  }

  delete(id: number): void {
    this.slotById.delete(id);
  }

  /** Records that the row of the id at `from` now lives at `to` (after a swap-remove). */
  move(from: number, to: number): void {
    const id = this.ids[from]!;
    this.ids[to] = id;
    this.slotById.set(id, to);
  }

  /** Every live id in no particular order. */
  keys(): IterableIterator<number> {
    return this.slotById.keys();
  }

  entries(): IterableIterator<[number, number]> {
    return this.slotById.entries();
  }

  /** Rebuilds from dense slot order (slot i holds ids[i]); rejects bad or duplicate ids as corrupt data. */
  static fromDense(ids: Float64Array): IdMap {
    const map = new IdMap(ids.length);
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot]!;
      if (!Number.isSafeInteger(id) || id < 0) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: id ${id} at slot ${slot} is not a non-negative safe integer.`);
      if (map.slotById.has(id)) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: id ${id} appears twice.`);
      map.set(id, slot);
    }
    return map;
  }
}
