import { buildSubtree, SubtreeStack } from './build.js';
import type { BuildContext } from './build.js';
import { CONT, HEADER_WORDS, INTERNAL, LEAF, NONE } from './forest.js';
import type { Forest } from './forest.js';
import { margin } from './route.js';

/**
 * Changes to built trees without a rebuild: a new slot descends each tree to its leaf, and a leaf that
 * overflows is split in place (its record becomes the internal node of a new subtree); a removed slot is
 * found again by descending with its row, which routes exactly as it did on insert.
 */
export class TreeUpdater {
  private readonly dim: number;
  private gathered = new Int32Array(64);
  private readonly stack = new SubtreeStack();

  constructor(dim: number) {
    this.dim = dim;
  }

  /** The leaf (head record) a row with lifted coordinate `t` routes to in the tree under `root`. */
  descend(forest: Forest, root: number, rows: Float32Array, off: number, t: number): number {
    const ints = forest.ints;
    const floats = forest.floats;
    const w = forest.width;
    let node = root;
    for (;;) {
      const o = node * w;
      if (ints[o] !== INTERNAL) return node;
      node = margin(floats, o, rows, off, this.dim, t) > 0 ? ints[o + 2]! : ints[o + 1]!;
    }
  }

  /** Adds `slot` (row at off, lifted coordinate t) to tree `tree`, splitting its leaf if it overflows. */
  insert(ctx: BuildContext, tree: number, slot: number, t: number): void {
    const forest = ctx.forest;
    const w = forest.width;
    const bucket = forest.bucketSize;
    const head = this.descend(forest, forest.roots[tree]!, ctx.rows, slot * ctx.stride, t);
    const o = head * w;
    const total = forest.ints[o + 1]!;
    if (total < bucket) {
      forest.touch(head);
      forest.ints[o + HEADER_WORDS + total] = slot;
      forest.ints[o + 1] = total + 1;
      return;
    }
    if (total + 1 >= forest.ints[o + 3]!) {
      const m = this.gather(forest, head, total);
      this.gathered[m] = slot;
      buildSubtree(ctx, head, this.gathered, 0, m + 1, this.stack);
      return;
    }
    // An unsplittable leaf waiting to double: append at the end of its chain.
    let record = recordAt(forest, head, Math.ceil(total / bucket) - 1);
    if (total % bucket === 0) {
      const next = forest.alloc();
      forest.touch(record);
      forest.ints[record * w + 2] = next;
      forest.ints[next * w] = CONT;
      forest.ints[next * w + 2] = NONE;
      record = next;
    }
    forest.touch(record);
    forest.ints[record * w + HEADER_WORDS + (total % bucket)] = slot;
    forest.touch(head);
    forest.ints[o + 1] = total + 1;
  }

  /** Copies a leaf's slots into `gathered` (with room for one more) and frees its chain records. */
  private gather(forest: Forest, head: number, total: number): number {
    if (total + 1 > this.gathered.length) this.gathered = new Int32Array(Math.max(total + 1, this.gathered.length * 2));
    const w = forest.width;
    const bucket = forest.bucketSize;
    const ints = forest.ints;
    let record = head;
    for (let done = 0; done < total; done += bucket) {
      const o = record * w + HEADER_WORDS;
      this.gathered.set(ints.subarray(o, o + Math.min(bucket, total - done)), done);
      const next = ints[record * w + 2]!;
      if (record !== head) forest.release(record);
      record = next;
    }
    return total;
  }

  /** Removes `slot` from tree `tree`; returns false when the tree does not hold it. */
  remove(forest: Forest, tree: number, slot: number, rows: Float32Array, off: number, t: number): boolean {
    const head = this.locate(forest, tree, slot, rows, off, t);
    if (head < 0) return false;
    const w = forest.width;
    const bucket = forest.bucketSize;
    const ints = forest.ints;
    const at = positionIn(forest, head, slot);
    const total = ints[head * w + 1]!;
    const last = total - 1;
    const lastRecord = recordAt(forest, head, Math.floor(last / bucket));
    const lastWord = lastRecord * w + HEADER_WORDS + (last % bucket);
    forest.touch(at.record);
    forest.touch(lastRecord);
    forest.touch(head);
    ints[at.record * w + HEADER_WORDS + at.index] = ints[lastWord]!;
    ints[lastWord] = 0;
    ints[head * w + 1] = last;
    if (last > 0 && last % bucket === 0) {
      // The chain's last record emptied: unlink and free it.
      const previous = recordAt(forest, head, last / bucket - 1);
      forest.touch(previous);
      ints[previous * w + 2] = NONE;
      forest.release(lastRecord);
    }
    return true;
  }

  /** Renames `from` to `to` in tree `tree` (after a swap-remove moved the row); false if not found. */
  rename(forest: Forest, tree: number, from: number, to: number, rows: Float32Array, off: number, t: number): boolean {
    const head = this.locate(forest, tree, from, rows, off, t);
    if (head < 0) return false;
    const at = positionIn(forest, head, from);
    forest.touch(at.record);
    forest.ints[at.record * forest.width + HEADER_WORDS + at.index] = to;
    return true;
  }

  /** The leaf holding `slot`: by descent, or (should routing ever disagree) by visiting every leaf. */
  private locate(forest: Forest, tree: number, slot: number, rows: Float32Array, off: number, t: number): number {
    const root = forest.roots[tree]!;
    const head = this.descend(forest, root, rows, off, t);
    if (positionIn(forest, head, slot).index >= 0) return head;
    const pending = [root];
    const w = forest.width;
    while (pending.length > 0) {
      const node = pending.pop()!;
      const o = node * w;
      if (forest.ints[o] === INTERNAL) pending.push(forest.ints[o + 1]!, forest.ints[o + 2]!);
      else if (forest.ints[o] === LEAF && positionIn(forest, node, slot).index >= 0) return node;
    }
    return -1;
  }
}

/** The chain record `r` of a leaf (0 = the head). */
function recordAt(forest: Forest, head: number, r: number): number {
  let record = head;
  for (let i = 0; i < r; i++) record = forest.ints[record * forest.width + 2]!;
  return record;
}

/** Where `slot` sits in a leaf's chain (index -1 when absent). */
function positionIn(forest: Forest, head: number, slot: number): { record: number; index: number } {
  const ints = forest.ints;
  const w = forest.width;
  const bucket = forest.bucketSize;
  const total = ints[head * w + 1]!;
  let record = head;
  for (let done = 0; done < total; done += bucket) {
    const o = record * w + HEADER_WORDS;
    const n = Math.min(bucket, total - done);
    for (let i = 0; i < n; i++) if (ints[o + i] === slot) return { record, index: i };
    record = ints[record * w + 2]!;
  }
  return { record: head, index: -1 };
}
