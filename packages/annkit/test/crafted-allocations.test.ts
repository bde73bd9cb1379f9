import { describe, expect, it } from 'vitest';
import { HnswIndex, IvfIndex, PqIndex, SqIndex } from '../src/index.js';
import type { VectorIndex } from '@annkit/core';
import { ALLOCATION_BOUND, firstUseAllocation, rewriteAnnk } from '@annkit/testkit';

/**
 * Untrained files are a few hundred bytes whatever their dim, so a header dim of 65536 is all it takes to
 * make a family size its buffers from the header (the law suite's crafted files are trained or hold rows).
 */
const untrained: [string, () => VectorIndex, (bytes: Uint8Array) => VectorIndex][] = [
  ['PQ', () => new PqIndex({ dim: 4, metric: 'l2', m: 4 }), (b) => PqIndex.deserialize(b)],
  ['SQ8', () => new SqIndex({ dim: 4, metric: 'l2' }), (b) => SqIndex.deserialize(b)],
  ['IVF-Flat', () => new IvfIndex({ dim: 4, metric: 'l2', nlist: 4 }), (b) => IvfIndex.deserialize(b)],
  ['IVF-SQ8', () => new IvfIndex({ dim: 4, metric: 'l2', nlist: 4, codec: 'sq8' }), (b) => IvfIndex.deserialize(b)],
  ['IVF-PQ', () => new IvfIndex({ dim: 4, metric: 'l2', nlist: 4, codec: { type: 'pq', m: 4 } }), (b) => IvfIndex.deserialize(b)],
  ['HNSW-PQ', () => new HnswIndex({ dim: 4, metric: 'l2', storage: { type: 'pq', m: 4 } }), (b) => HnswIndex.deserialize(b)],
];

describe('issue 12 item 6: small untrained files with a huge header dim', () => {
  for (const [name, create, load] of untrained) {
    it(`issue 12 item 6: an untrained ${name} file with header dim 65536 loads and serves a first search and add within 16 MB`, () => {
      const bytes = rewriteAnnk(create().serialize(), { dim: 65536 });
      expect(bytes.length).toBeLessThan(1024);
      const used = firstUseAllocation(() => load(bytes));
      expect(used, 'the crafted file should load (it is a valid untrained index)').not.toBeNull();
      expect(used!).toBeLessThanOrEqual(ALLOCATION_BOUND);
    });
  }
});
