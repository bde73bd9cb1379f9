import { AnnkitError } from './errors.js';
import { assertId } from './validate.js';

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

  /** The slot of `id` after checking it is a valid id; UNKNOWN_ID when it is not stored. */
  requireSlot(id: number): number {
    assertId(id);
    const slot = this.slotById.get(id);
    if (slot === undefined) throw new AnnkitError('UNKNOWN_ID', `Id ${id} is not in the index.`);
    return slot;
  }

  /** Checks that `id` is a valid id not stored yet (DUPLICATE_ID: upsert() replaces). */
  assertAbsent(id: number): void {
    assertId(id);
    if (this.slotById.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} is already in the index; use upsert() to replace its vector.`);
  }

  /** Checks that no id of a (validated) batch is stored yet. */
  assertNoneStored(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) {
      if (this.slotById.has(ids[i]!)) throw new AnnkitError('DUPLICATE_ID', `Id ${ids[i]} (batch row ${i}) is already in the index.`);
    }
  }

  /**
   * Forgets `id`, whose row left `slot` by a swap-remove: `moved` is the slot whose row now fills `slot`
   * (-1 when `slot` was the last).
   */
  deleteSwapped(id: number, slot: number, moved: number): void {
    this.slotById.delete(id);
    if (moved >= 0) this.move(moved, slot);
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
