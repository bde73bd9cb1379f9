import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TarStreamReader } from '../src/index.js';
import type { TarEntry } from '../src/index.js';
import { chunkSizes, chunked, errorCode, makeTar } from './helpers.js';

interface Read {
  entry: TarEntry;
  data: number[];
  ended: boolean;
}

function readAll(bytes: Uint8Array, sizes: readonly number[], skip?: (e: TarEntry) => boolean): Read[] {
  const out: Read[] = [];
  const tar = new TarStreamReader((entry) => {
    const r: Read = { entry, data: [], ended: false };
    out.push(r);
    if (skip?.(entry)) return undefined;
    return { data: (c) => r.data.push(...c), end: () => (r.ended = true) };
  });
  for (const c of chunked(bytes, sizes)) tar.write(c);
  tar.end();
  return out;
}

const entryArb = fc.record({
  name: fc.stringMatching(/^[a-z0-9_.\/-]{1,160}$/),
  data: fc.uint8Array({ maxLength: 1500 }),
});

describe('TarStreamReader', () => {
  it('returns every entry name and its exact bytes, whatever the chunking (long names via pax)', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 5 }), chunkSizes, (entries, sizes) => {
        const got = readAll(makeTar(entries), sizes);
        expect(got.map((r) => r.entry.name)).toEqual(entries.map((e) => e.name));
        got.forEach((r, i) => {
          expect(r.entry.size).toBe(entries[i]!.data.length);
          expect(r.entry.type).toBe('0');
          expect(Uint8Array.from(r.data)).toEqual(entries[i]!.data);
          expect(r.ended).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('skips entries without a sink and still finds later ones', () => {
    const tar = makeTar([
      { name: 'package/big.bin', data: new Uint8Array(5000).fill(9) },
      { name: 'package/dir', data: new Uint8Array(0), type: '5' },
      { name: 'package/x.json', data: new TextEncoder().encode('[1]') },
    ]);
    const got = readAll(tar, [777], (e) => e.name !== 'package/x.json');
    expect(got.map((r) => [r.entry.name, r.entry.type, r.data.length])).toEqual([
      ['package/big.bin', '0', 0],
      ['package/dir', '5', 0],
      ['package/x.json', '0', 3],
    ]);
  });

  it('truncation inside an entry or header is CORRUPT_DATA; a damaged header fails its checksum', () => {
    const bytes = makeTar([{ name: 'a.txt', data: new Uint8Array(1000).fill(1) }]);
    // Entry data spans bytes 512..1512 (padded to 1536).
    for (const cut of [100, 511, 512, 1200, 1511]) expect(errorCode(() => readAll(bytes.subarray(0, cut), [])), `cut ${cut}`).toBe('CORRUPT_DATA');
    // Stopping right after an entry (no end-of-archive blocks) is tolerated, like most readers do.
    expect(readAll(bytes.subarray(0, 1536), []).length).toBe(1);
    const damaged = bytes.slice();
    damaged[3] ^= 0x20;
    expect(() => readAll(damaged, [])).toThrow(/checksum/);
  });

  it('rejects a pax size that is not a number', () => {
    const body = '12 size=abc\n';
    const good = makeTar([{ name: 'PaxHeader', data: new TextEncoder().encode(body), type: 'x' }, { name: 'f', data: new Uint8Array(4) }]);
    expect(errorCode(() => readAll(good, []))).toBe('CORRUPT_DATA');
  });

  it('random damage never crashes: it reads or throws CORRUPT_DATA', () => {
    const base = makeTar([
      { name: 'x/' + 'n'.repeat(120), data: new Uint8Array(700).fill(3) },
      { name: 'y', data: new Uint8Array(10) },
    ]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(base.length), chunkSizes, (edits, cut, sizes) => {
        const b = base.slice(0, cut);
        for (const [i, v] of edits) if (i < b.length) b[i] = v;
        const code = errorCode(() => readAll(b, sizes));
        expect(code === null || code === 'CORRUPT_DATA').toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
