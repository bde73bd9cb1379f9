import { corrupt } from '@annkit/core';
import { CONT, FREE, HEADER_WORDS, INTERNAL, LEAF, NONE } from './forest.js';

export interface ForestShape {
  ints: Int32Array;
  floats: Float32Array;
  width: number;
  bucketSize: number;
  records: number;
  freeHead: number;
  roots: Int32Array;
  /** Slots in use: every tree must hold each of them exactly once. */
  count: number;
  dim: number;
}

/**
 * Checks loaded trees before any search or update trusts them: every record is used exactly once (by one
 * tree or the free list), so there are no cycles or shared subtrees; child and chain links are in range;
 * hyperplanes are finite; each tree holds every slot exactly once.
 */
export function validateForest(f: ForestShape): void {
  const { ints, floats, width: w, bucketSize: bucket, records, roots, count, dim } = f;
  const used = new Uint8Array(records);
  const claim = (node: number, what: string): void => {
    if (!Number.isInteger(node) || node < 0 || node >= records) throw corrupt(`${what} points to record ${node} of ${records}`);
    if (used[node] !== 0) throw corrupt(`record ${node} is reached twice`);
    used[node] = 1;
  };

  for (let node = f.freeHead; node !== NONE; node = ints[node * w + 2]!) {
    claim(node, 'the free list');
    if (ints[node * w] !== FREE) throw corrupt(`record ${node} is on the free list but not free`);
  }

  const seen = new Int32Array(count).fill(-1);
  const pending: number[] = [];
  for (let tree = 0; tree < roots.length; tree++) {
    let slotsInTree = 0;
    pending.push(roots[tree]!);
    while (pending.length > 0) {
      const node = pending.pop()!;
      claim(node, `tree ${tree}`);
      const o = node * w;
      const kind = ints[o];
      if (kind === INTERNAL) {
        for (let i = o + 3; i < o + HEADER_WORDS + dim; i++) {
          const v = floats[i]!;
          if (v - v !== 0) throw corrupt(`hyperplane of record ${node} is not finite`);
        }
        pending.push(ints[o + 2]!, ints[o + 1]!);
        continue;
      }
      if (kind !== LEAF) throw corrupt(`record ${node} in tree ${tree} has kind ${kind}`);
      const total = ints[o + 1]!;
      if (total < 0 || total > count) throw corrupt(`leaf ${node} claims ${total} slots`);
      if (ints[o + 3]! < 0) throw corrupt(`leaf ${node} has a negative retry size`);
      let record = node;
      for (let done = 0; ; done += bucket) {
        const base = record * w + HEADER_WORDS;
        const n = Math.min(bucket, total - done);
        for (let i = 0; i < n; i++) {
          const slot = ints[base + i]!;
          if (slot < 0 || slot >= count) throw corrupt(`leaf ${node} holds slot ${slot} of ${count}`);
          if (seen[slot] === tree) throw corrupt(`slot ${slot} appears twice in tree ${tree}`);
          seen[slot] = tree;
        }
        slotsInTree += Math.max(0, n);
        const next = ints[record * w + 2]!;
        if (done + bucket >= total) {
          if (next !== NONE) throw corrupt(`leaf ${node} chains past its ${total} slots`);
          break;
        }
        claim(next, `leaf ${node}'s chain`);
        if (ints[next * w] !== CONT) throw corrupt(`record ${next} in a leaf chain is not a continuation`);
        record = next;
      }
    }
    if (slotsInTree !== count) throw corrupt(`tree ${tree} holds ${slotsInTree} slots, the index ${count}`);
  }
  for (let node = 0; node < records; node++) if (used[node] === 0) throw corrupt(`record ${node} belongs to no tree`);
}
