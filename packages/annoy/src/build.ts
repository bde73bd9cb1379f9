import type { ProgressTracker, Rng } from '@annkit/core';
import { CONT, Forest, HEADER_WORDS, LEAF, NONE } from './forest.js';
import type { Splitter } from './splitter.js';

/** What building a subtree reads: the rows, how to split them, and where randomness comes from. */
export interface BuildContext {
  forest: Forest;
  splitter: Splitter;
  rows: Float32Array;
  stride: number;
  /** t(x) per slot when precomputed for a whole build (null: computed per split). */
  extraBySlot: Float64Array | null;
  rng: Rng;
  /** Ticked with the number of slots each finished leaf receives. */
  progress: ProgressTracker | null;
}

/**
 * Builds the subtree rooted at record `node` over slots[lo, hi), depth first with an explicit stack:
 * sets of more than bucketSize slots are split by a hyperplane, the rest become leaves. A set that no
 * hyperplane separates becomes one chained leaf that is tried again once it has doubled.
 * The slots array is reordered in place.
 */
export function buildSubtree(ctx: BuildContext, node: number, slots: Int32Array, lo: number, hi: number, stack: SubtreeStack): void {
  const { forest, splitter, rows, stride, extraBySlot, rng, progress } = ctx;
  const bucket = forest.bucketSize;
  stack.clear();
  stack.push(node, lo, hi);
  while (stack.size > 0) {
    const top = stack.pop();
    const at = stack.node(top);
    const start = stack.lo(top);
    const end = stack.hi(top);
    const m = end - start;
    if (m <= bucket) {
      writeLeaf(forest, at, slots, start, m, 0);
      progress?.tick(m);
      continue;
    }
    const left = splitter.split(rows, stride, slots, start, end, extraBySlot, rng);
    if (left < 0) {
      writeLeaf(forest, at, slots, start, m, 2 * m);
      progress?.tick(m);
      continue;
    }
    const leftNode = forest.alloc();
    const rightNode = forest.alloc();
    forest.touch(at);
    const o = at * forest.width;
    forest.floats.set(splitter.chosen, o);
    forest.ints[o + 1] = leftNode;
    forest.ints[o + 2] = rightNode;
    stack.push(rightNode, start + left, end);
    stack.push(leftNode, start, start + left);
  }
}

/** Writes slots[lo, lo+m) as the leaf at `node`, chaining extra records when m exceeds the bucket size. */
export function writeLeaf(forest: Forest, node: number, slots: Int32Array, lo: number, m: number, retryAt: number): void {
  const w = forest.width;
  const bucket = forest.bucketSize;
  forest.touch(node);
  let o = node * w;
  let ints = forest.ints;
  ints.fill(0, o, o + w);
  ints[o] = LEAF;
  ints[o + 1] = m;
  ints[o + 2] = NONE;
  ints[o + 3] = retryAt;
  const first = Math.min(m, bucket);
  ints.set(slots.subarray(lo, lo + first), o + HEADER_WORDS);
  let previous = node;
  for (let done = first; done < m; done += bucket) {
    const record = forest.alloc();
    ints = forest.ints;
    o = record * w;
    ints[o] = CONT;
    ints[o + 2] = NONE;
    ints.set(slots.subarray(lo + done, lo + Math.min(m, done + bucket)), o + HEADER_WORDS);
    forest.touch(previous);
    ints[previous * w + 2] = record;
    previous = record;
  }
}

/** Pending (node, lo, hi) triples of a depth-first build, in one growable Int32Array. */
export class SubtreeStack {
  private data = new Int32Array(3 * 64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(node: number, lo: number, hi: number): void {
    if ((this.size + 1) * 3 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const o = this.size++ * 3;
    this.data[o] = node;
    this.data[o + 1] = lo;
    this.data[o + 2] = hi;
  }

  /** Removes the top entry and returns its index (valid until the next push). */
  pop(): number {
    return --this.size;
  }

  node(i: number): number {
    return this.data[i * 3]!;
  }

  lo(i: number): number {
    return this.data[i * 3 + 1]!;
  }

  hi(i: number): number {
    return this.data[i * 3 + 2]!;
  }
}
