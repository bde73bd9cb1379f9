import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnkitError, SECTION_OPTIONAL, readAnnk, sectionArray, writeAnnk, crc32 } from '@annkit/core';

const expectation = { kind: 'TEST', major: 1, required: ['AAAA'], known: ['AAAA', 'BBBB'] };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AnnkitError) return err.code;
    throw err;
  }
  return undefined;
}

describe('.annk container', () => {
  it('round-trips sections, 16-byte aligned, and header fields', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 1, max: 4096 }), (a, b, dim) => {
        const bytes = writeAnnk({ kind: 'TEST', major: 1, minor: 3, dim, metric: 'ip', scalarKind: 2 }, [
          { tag: 'AAAA', data: a },
          { tag: 'BBBB', data: b },
        ]);
        expect(bytes.length % 16).toBe(0);
        const file = readAnnk(bytes, expectation);
        expect(file).toMatchObject({ kind: 'TEST', major: 1, minor: 3, dim, metric: 'ip', scalarKind: 2 });
        expect(Array.from(file.sections.get('AAAA')!)).toEqual(Array.from(a));
        expect(Array.from(file.sections.get('BBBB')!)).toEqual(Array.from(b));
        expect(file.sections.get('BBBB')!.byteOffset % 16).toBe(0);
      }),
    );
  });

  it('skips unknown optional sections and rejects unknown required ones', () => {
    const data = Uint8Array.of(1, 2, 3);
    const optional = writeAnnk({ kind: 'TEST', major: 1, minor: 0, dim: 2, metric: 'l2' }, [
      { tag: 'AAAA', data },
      { tag: 'ZZZZ', data, optional: true },
    ]);
    expect([...readAnnk(optional, expectation).sections.keys()]).toEqual(['AAAA']);
    const required = writeAnnk({ kind: 'TEST', major: 1, minor: 0, dim: 2, metric: 'l2' }, [
      { tag: 'AAAA', data },
      { tag: 'ZZZZ', data },
    ]);
    expect(codeOf(() => readAnnk(required, expectation))).toBe('UNSUPPORTED_FEATURE');
    expect(SECTION_OPTIONAL).toBe(1);
  });

  it('issue 12 item 9: an unknown required section is CORRUPT_DATA in a version the reader knows in full, or in place of a required one', () => {
    const data = Uint8Array.of(1, 2, 3);
    const file = (minor: number, tags: string[]) => writeAnnk({ kind: 'TEST', major: 1, minor, dim: 2, metric: 'l2' }, tags.map((tag) => ({ tag, data })));
    const knowsMinor2 = { ...expectation, minor: 2 };
    expect(codeOf(() => readAnnk(file(2, ['AAAA', 'ZZZZ']), knowsMinor2))).toBe('CORRUPT_DATA');
    expect(codeOf(() => readAnnk(file(3, ['AAAA', 'ZZZZ']), knowsMinor2))).toBe('UNSUPPORTED_FEATURE');
    expect(codeOf(() => readAnnk(file(3, ['ZZZZ']), knowsMinor2))).toBe('CORRUPT_DATA');
    expect(codeOf(() => readAnnk(file(0, ['ZZZZ']), expectation))).toBe('CORRUPT_DATA');
    expect(() => readAnnk(file(2, ['AAAA', 'ZZZZ']), knowsMinor2)).toThrow(/header says "TEST" format 1\.2.*"ZZZZ"/);
  });

  it('rejects a missing required section, a wrong kind and a newer major version', () => {
    const bytes = writeAnnk({ kind: 'TEST', major: 1, minor: 0, dim: 2, metric: 'l2' }, [{ tag: 'BBBB', data: new Uint8Array(4) }]);
    expect(codeOf(() => readAnnk(bytes, expectation))).toBe('CORRUPT_DATA');
    const other = writeAnnk({ kind: 'OTHR', major: 1, minor: 0, dim: 2, metric: 'l2' }, [{ tag: 'AAAA', data: new Uint8Array(4) }]);
    expect(codeOf(() => readAnnk(other, expectation))).toBe('INVALID_ARGUMENT');
    const newer = writeAnnk({ kind: 'TEST', major: 2, minor: 0, dim: 2, metric: 'l2' }, [{ tag: 'AAAA', data: new Uint8Array(4) }]);
    expect(codeOf(() => readAnnk(newer, expectation))).toBe('UNSUPPORTED_VERSION');
  });

  it('truncation, bit flips and junk are CORRUPT_DATA, never another error', () => {
    const bytes = writeAnnk({ kind: 'TEST', major: 1, minor: 0, dim: 8, metric: 'cosine' }, [
      { tag: 'AAAA', data: Uint8Array.from({ length: 37 }, (_, i) => i) },
      { tag: 'BBBB', data: Uint8Array.from({ length: 50 }, (_, i) => 255 - i) },
    ]);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), (cut) => {
        expect(codeOf(() => readAnnk(bytes.slice(0, cut), expectation))).toBe('CORRUPT_DATA');
      }),
    );
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const copy = bytes.slice();
        copy[at]! ^= 1 << bit;
        expect(codeOf(() => readAnnk(copy, expectation))).toBe('CORRUPT_DATA');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (junk) => {
        expect(codeOf(() => readAnnk(junk, expectation))).toBe('CORRUPT_DATA');
      }),
    );
  });

  it('a section table that claims huge offsets or lengths is rejected before allocation', () => {
    const bytes = writeAnnk({ kind: 'TEST', major: 1, minor: 0, dim: 2, metric: 'l2' }, [{ tag: 'AAAA', data: new Uint8Array(16) }]);
    const view = new DataView(bytes.buffer);
    view.setUint32(32 + 16, 0xffffffff, true);
    view.setUint32(32 + 20, 0xffffffff, true);
    view.setUint32(24, crc32(bytes.subarray(32, 64)), true);
    view.setUint32(28, crc32(bytes.subarray(0, 28)), true);
    expect(codeOf(() => readAnnk(bytes, expectation))).toBe('CORRUPT_DATA');
  });

  it('sectionArray checks the exact length and copies only when unaligned', () => {
    const backing = new Uint8Array(20);
    const aligned = backing.subarray(4, 12);
    expect(sectionArray(Float32Array, aligned, 2, 'X').buffer).toBe(backing.buffer);
    const unaligned = backing.subarray(1, 9);
    expect(sectionArray(Float32Array, unaligned, 2, 'X').buffer).not.toBe(backing.buffer);
    expect(codeOf(() => sectionArray(Float32Array, aligned, 3, 'X'))).toBe('CORRUPT_DATA');
    expect(codeOf(() => sectionArray(Float32Array, undefined, 3, 'X'))).toBe('CORRUPT_DATA');
  });
});
