import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HnswIndex } from '@annkit/hnsw';
import { bytesEqual } from '@annkit/testkit';
import { FIXTURES, FIXTURE_DIM, FIXTURE_FILTER, FIXTURE_K, FIXTURE_QUERIES, writeFixtures } from './fixtures/generate.js';
import type { Expected } from './fixtures/generate.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

// Regeneration is a deliberate act (ANNKIT_WRITE_FIXTURES=1), not a test: the files are then checked below.
if (process.env.ANNKIT_WRITE_FIXTURES === '1') writeFixtures(dir);

describe('HnswIndex golden fixtures (formats 1.0 and 1.1)', () => {

  for (const { name, metric } of FIXTURES) {
    it(`${name} loads, gives its recorded results and re-serialises to the same bytes`, () => {
      const file = join(dir, `${name}.annk`);
      expect(existsSync(file), `${file} is missing: see generate.ts`).toBe(true);
      const bytes = new Uint8Array(readFileSync(file));
      const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
      // The recorded distances came from the TypeScript kernels: load with them to compare bit for bit.
      const index = HnswIndex.deserialize(bytes, { kernels: 'js' });
      expect(index.metric).toBe(metric);
      expect(index.dim).toBe(FIXTURE_DIM);
      expect(index.size).toBe(expected.size);
      expect(index.tombstones).toBe(expected.tombstones);
      for (const s of expected.searches) {
        const q = FIXTURE_QUERIES.subarray(s.query * FIXTURE_DIM, (s.query + 1) * FIXTURE_DIM);
        const r = index.search(q, FIXTURE_K, { efSearch: s.efSearch, filter: s.filtered ? FIXTURE_FILTER : undefined, filterStrategy: 'graph' });
        expect(Array.from(r.ids)).toEqual(s.ids);
        expect(Array.from(r.distances)).toEqual(s.distances);
      }
      expect(bytesEqual(index.serialize(), bytes)).toBe(true);
      // The loaded graph keeps accepting changes: a new vector is found where it was put, and compaction runs.
      const q0 = FIXTURE_QUERIES.subarray(0, FIXTURE_DIM);
      index.add(99_999, q0);
      if (metric !== 'ip') expect(index.search(q0, 1, { efSearch: 64 }).ids[0]).toBe(99_999);
      index.compact();
      expect(index.tombstones).toBe(0);
      expect(index.has(99_999)).toBe(true);
    });
  }
});
