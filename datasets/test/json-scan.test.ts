import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { JsonNumberScanner } from '../src/index.js';
import type { JsonPath } from '../src/index.js';
import { chunkSizes, chunked, errorCode } from './helpers.js';

const enc = new TextEncoder();

function pathText(p: JsonPath, depth = p.depth): string {
  let s = '';
  for (let l = 0; l < depth; l++) s += p.isArray(l) ? `[${p.index(l)}]` : `.${JSON.stringify(p.key(l))}#${p.index(l)}`;
  return s;
}

/** What the scanner reports: numbers and container closings with their paths. */
function scan(bytes: Uint8Array, sizes: readonly number[], keyDepth?: number): string[] {
  const events: string[] = [];
  const s = new JsonNumberScanner(
    {
      number: (v, p) => events.push(`${pathText(p)}=${Object.is(v, -0) ? '-0' : String(v)}`),
      close: (p) => events.push(`${pathText(p)}}`),
    },
    keyDepth === undefined ? undefined : { keyDepth },
  );
  for (const c of chunked(bytes, sizes)) s.write(c);
  s.end();
  return events;
}

/** The same events from JSON.parse's tree. */
function reference(v: unknown, prefix = ''): string[] {
  if (typeof v === 'number') return [`${prefix}=${Object.is(v, -0) ? '-0' : String(v)}`];
  if (v === null || typeof v !== 'object') return [];
  const out: string[] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...reference(x, `${prefix}[${i}]`)));
  else Object.entries(v).forEach(([k, x], i) => out.push(...reference(x, `${prefix}.${JSON.stringify(k)}#${i}`)));
  // After closing, the parent's path is reported (the closed container's own slot).
  out.push(`${prefix}}`);
  return out;
}

describe('JsonNumberScanner', () => {
  it('reports the same numbers and paths as JSON.parse, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), fc.boolean(), chunkSizes, (value, pretty, sizes) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(scan(enc.encode(text), sizes)).toEqual(reference(JSON.parse(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('parses numbers to exactly the double JSON.parse gives', () => {
    const numberText = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
      fc
        .tuple(
          fc.boolean(),
          fc.stringMatching(/^(0|[1-9][0-9]{0,20})$/),
          fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
          fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 })), { nil: undefined }),
        )
        .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac !== undefined ? `.${frac}` : ''}${exp ? `${exp[0]}${exp[1]}${exp[2]}` : ''}`),
    );
    fc.assert(
      fc.property(fc.array(numberText, { minLength: 1, maxLength: 8 }), chunkSizes, (nums, sizes) => {
        const text = `[${nums.join(',')}]`;
        const got: number[] = [];
        const s = new JsonNumberScanner({ number: (v) => got.push(v) });
        for (const c of chunked(enc.encode(text), sizes.map((x) => 1 + (x % 5)))) s.write(c);
        s.end();
        const want = JSON.parse(text) as number[];
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(Object.is(v, want[i]), `${nums[i]}: ${v} vs ${want[i]}`).toBe(true));
      }),
      { numRuns: 400 },
    );
    // A top-level scalar ends at end().
    const got: number[] = [];
    const s = new JsonNumberScanner({ number: (v) => got.push(v) });
    s.write(enc.encode('-12.5e'));
    s.write(enc.encode('1'));
    s.end();
    expect(got).toEqual([-125]);
  });

  it('accepts exactly what JSON.parse accepts (mutated and truncated documents)', () => {
    const doc = fc.jsonValue().map((v) => JSON.stringify(v));
    const broken = fc.oneof(
      fc.tuple(doc, fc.nat(), fc.integer({ min: 0, max: 127 })).map(([t, i, c]) => (t.length ? t.slice(0, i % t.length) + String.fromCharCode(c) + t.slice((i % t.length) + 1) : t)),
      fc.tuple(doc, fc.nat()).map(([t, i]) => t.slice(0, t.length ? i % t.length : 0)),
      fc.tuple(doc, fc.nat(), fc.constantFrom(',', ']', '}', '[', '{', ':', '"', '-', '.', 'e', ' ', '\\')).map(([t, i, c]) => t.slice(0, i % (t.length + 1)) + c + t.slice(i % (t.length + 1))),
    );
    fc.assert(
      fc.property(broken, chunkSizes, (text, sizes) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const code = errorCode(() => scan(enc.encode(text), sizes));
        expect(code).toBe(valid ? null : 'CORRUPT_DATA');
      }),
      { numRuns: 500 },
    );
  });

  it('rejects malformed documents with CORRUPT_DATA', () => {
    const bad = ['', ' ', '[', '[1,]', '[,1]', '{"a"}', '{"a":1,}', '{1:2}', '01', '1.', '.5', '-', '+1', '1e', '1e+', '"\u0001"', '"\\x"', '"\\u12G4"', 'tru', 'nul', 'falsey', '[1 2]', '"abc', '1 2', ']', '[}', '{"a":1]', 'NaN', '[Infinity]'];
    for (const text of bad) expect(errorCode(() => scan(enc.encode(text), [])), text).toBe('CORRUPT_DATA');
    expect(() => scan(enc.encode('[1,]'), [])).toThrow(/byte 3/);
  });

  it('decodes escaped keys, and skips keys below keyDepth', () => {
    const text = '{"a\\"b\\u00e9\\n":{"deep":[1]},"x":2}';
    expect(scan(enc.encode(text), [3])).toEqual(reference(JSON.parse(text)));
    const shallow: string[] = [];
    const s = new JsonNumberScanner({ number: (_v, p) => shallow.push(`${p.key(0)}/${p.key(1)}`) }, { keyDepth: 1 });
    s.write(enc.encode(text));
    s.end();
    expect(shallow).toEqual(['a"bé\n/undefined', 'x/undefined']);
  });
});
