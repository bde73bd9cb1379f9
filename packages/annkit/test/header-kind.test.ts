import { describe as group, expect, it } from 'vitest';
import { AnnkitError, createIndex, families, load } from 'annkit';
import type { TrainableIndex } from 'annkit';
import { randomRows, resealHeader } from '@annkit/testkit';

const dim = 8;
const rows = randomRows(64, dim, 5, 1);
const specs = ['Flat', 'SQ8', 'PQ4', 'IVF4,Flat', 'IVF4,PQ4', 'HNSW8', 'Annoy4'];

function bytesOf(spec: string): Uint8Array {
  const index = createIndex(spec, { dim, metric: 'l2', seed: 3 });
  const trainable = index as Partial<TrainableIndex>;
  if (typeof trainable.train === 'function' && trainable.isTrained === false) trainable.train(rows);
  index.addBatch(Array.from({ length: 64 }, (_, i) => i), rows);
  return index.serialize();
}

group('a header kind changed to another family (checksums re-sealed)', () => {
  it("issue 12 item 9: load() says CORRUPT_DATA naming the header's kind, never 'upgrade annkit'", () => {
    const kinds = families().map((f) => f.fourcc);
    let tried = 0;
    for (const spec of specs) {
      const original = bytesOf(spec);
      for (const kind of kinds) {
        const bytes = original.slice();
        if (String.fromCharCode(...bytes.subarray(4, 8)) === kind) continue;
        for (let i = 0; i < 4; i++) bytes[4 + i] = kind.charCodeAt(i);
        resealHeader(bytes);
        let thrown: unknown;
        try {
          load(bytes);
        } catch (err) {
          thrown = err;
        }
        const context = `${spec} relabelled "${kind}"`;
        expect(thrown, context).toBeInstanceOf(AnnkitError);
        expect((thrown as AnnkitError).code, `${context}: ${(thrown as Error).message}`).toBe('CORRUPT_DATA');
        expect((thrown as Error).message, context).not.toMatch(/upgrade/);
        tried++;
      }
    }
    expect(tried).toBeGreaterThanOrEqual(specs.length * 5);
  });
});
