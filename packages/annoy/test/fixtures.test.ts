import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnnoyIndex } from '@annkit/annoy';
import { bytesEqual } from '@annkit/testkit';
import { FIXTURE_DIM, FIXTURE_K, FIXTURE_METRICS, FIXTURE_QUERIES, fixtureName, writeFixtures } from './fixtures/generate.js';
import type { Expected } from './fixtures/generate.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

// Regeneration is a deliberate act (ANNKIT_WRITE_FIXTURES=1), not a test: the files are then checked below.
if (process.env.ANNKIT_WRITE_FIXTURES === '1') writeFixtures(dir);

describe('AnnoyIndex golden fixtures (format 1.0)', () => {
  for (const metric of FIXTURE_METRICS) {
    it(`${fixtureName(metric)} loads, gives its recorded results and re-serialises to the same bytes`, () => {
      const file = join(dir, `${fixtureName(metric)}.annk`);
      expect(existsSync(file), `${file} is missing: see generate.ts`).toBe(true);
      const bytes = new Uint8Array(readFileSync(file));
      const expected = JSON.parse(readFileSync(join(dir, `${fixtureName(metric)}.expected.json`), 'utf8')) as Expected;
      // The recorded distances come from the TS kernels, so they are compared bit for bit on those.
      const index = AnnoyIndex.deserialize(bytes, { kernels: 'js' });
      expect(index.metric).toBe(metric);
      expect(index.dim).toBe(FIXTURE_DIM);
      expect(index.size).toBe(expected.size);
      expect(index.isBuilt).toBe(true);
      for (const s of expected.searches) {
        const q = FIXTURE_QUERIES.subarray(s.query * FIXTURE_DIM, (s.query + 1) * FIXTURE_DIM);
        const r = index.search(q, FIXTURE_K, { searchK: s.searchK });
        expect(Array.from(r.ids)).toEqual(s.ids);
        expect(Array.from(r.distances)).toEqual(s.distances);
      }
      expect(bytesEqual(index.serialize(), bytes)).toBe(true);
      // The default (WASM where supported) kernels load the same file: same ids, distances within float rounding.
      const fast = AnnoyIndex.deserialize(bytes);
      for (const s of expected.searches) {
        const q = FIXTURE_QUERIES.subarray(s.query * FIXTURE_DIM, (s.query + 1) * FIXTURE_DIM);
        const r = fast.search(q, FIXTURE_K, { searchK: s.searchK });
        expect(Array.from(r.ids)).toEqual(s.ids);
        r.distances.forEach((d, j) => expect(d).toBeCloseTo(s.distances[j]!, 5));
      }
      expect(bytesEqual(fast.serialize(), bytes)).toBe(true);
      // The loaded trees keep accepting changes; under l2 and cosine a query added as a row is its own nearest.
      const q0 = FIXTURE_QUERIES.subarray(0, FIXTURE_DIM);
      index.add(99_999, q0);
      expect(index.has(99_999)).toBe(true);
      if (metric !== 'ip') expect(index.search(q0, 1, { searchK: index.size }).ids[0]).toBe(99_999);
    });
  }
});
