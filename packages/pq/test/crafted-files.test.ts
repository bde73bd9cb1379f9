import { describe, expect, it } from 'vitest';
import { PqIndex } from '@annkit/pq';
import { expectCode, randomRows, rewriteAnnk } from '@annkit/testkit';

describe('issue 12 item 5: PQ files that pass every checksum but decode to overflowing values', () => {
  it('issue 12 item 5: a huge finite codebook value is CORRUPT_DATA', () => {
    const index = new PqIndex({ dim: 8, metric: 'l2', m: 4, nbits: 4, niter: 4 });
    const rows = randomRows(64, 8, 3, 2);
    index.train(rows);
    index.addBatch(Array.from({ length: 64 }, (_, i) => i), rows);
    const bytes = index.serialize();
    expect(PqIndex.deserialize(bytes).size).toBe(64);
    for (const value of [1e30, -1e25, 3e38]) {
      const tampered = rewriteAnnk(bytes, {}, (tag, data) => {
        if (tag !== 'CDST') return data;
        const books = new Float32Array(data.slice().buffer);
        books[5] = value;
        return new Uint8Array(books.buffer);
      });
      expectCode(() => PqIndex.deserialize(tampered), 'CORRUPT_DATA');
    }
  });
});
