import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VectorIndex } from '@annkit/core';
import { bytesEqual } from '../laws.js';

/** One committed golden file: how it was built and the searches whose results it must keep giving. */
export interface GoldenFixture {
  file: string;
  build(): VectorIndex;
  searches: { query: Float32Array; k: number; opts?: object }[];
}

interface Expected {
  searches: { ids: number[]; distances: number[] }[];
}

/**
 * Golden fixtures: each `.annk` file in `dir` must load, answer its searches as recorded in the
 * `.expected.json` beside it, and re-serialise byte for byte, forever. With ANNKIT_WRITE_FIXTURES=1 the
 * files are (re)written instead — only when a format version changes, adding files rather than replacing.
 */
export function describeGoldenFixtures(name: string, dir: string, fixtures: readonly GoldenFixture[], deserialize: (bytes: Uint8Array) => VectorIndex): void {
  const write = process.env.ANNKIT_WRITE_FIXTURES === '1';
  describe(`${name} golden fixtures`, () => {
    for (const spec of fixtures) {
      const file = join(dir, spec.file);
      const expectedFile = file.replace(/\.annk$/, '.expected.json');
      if (write) {
        it(`writes ${spec.file}`, () => {
          const index = spec.build();
          writeFileSync(file, index.serialize());
          const searches = spec.searches.map(({ query, k, opts }) => {
            const r = index.search(query, k, opts);
            return { ids: Array.from(r.ids), distances: Array.from(r.distances) };
          });
          writeFileSync(expectedFile, `${JSON.stringify({ searches } satisfies Expected, null, 1)}\n`);
        });
        continue;
      }
      it(`${spec.file} loads, answers as recorded and re-serialises byte for byte`, () => {
        expect(existsSync(file), `${file} missing: generate with ANNKIT_WRITE_FIXTURES=1`).toBe(true);
        const bytes = new Uint8Array(readFileSync(file));
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
        const index = deserialize(bytes);
        spec.searches.forEach(({ query, k, opts }, i) => {
          const r = index.search(query, k, opts);
          expect(Array.from(r.ids)).toEqual(expected.searches[i]!.ids);
          r.distances.forEach((d, j) => expect(d).toBeCloseTo(expected.searches[i]!.distances[j]!, 5));
        });
        expect(bytesEqual(index.serialize(), bytes)).toBe(true);
      });
    }
  });
}
