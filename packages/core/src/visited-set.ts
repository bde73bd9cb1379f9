/** Marks visited slots with an epoch stamp so clearing is O(1) (hnswlib's visited-list idea). */
export class VisitedSet {
  private marks: Uint32Array;
  private epoch = 1;

  constructor(capacity = 64) {
    this.marks = new Uint32Array(Math.max(1, capacity));
  }

  /** Starts a new traversal over at least `capacity` slots. */
  reset(capacity: number): void {
    if (capacity > this.marks.length) {
      this.marks = new Uint32Array(Math.max(capacity, Math.ceil(this.marks.length * 1.5)));
      this.epoch = 1;
      return;
    }
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
  }

  /** Marks `slot`; returns true when it had not been visited in this traversal. */
  visit(slot: number): boolean {
    if (this.marks[slot] === this.epoch) return false;
    this.marks[slot] = this.epoch;
    return true;
  }

  has(slot: number): boolean {
    return this.marks[slot] === this.epoch;
  }
}
