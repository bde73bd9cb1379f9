import { describe as group, expect, expectTypeOf, it } from 'vitest';
import { AnnkitError, FlatIndex, acceptedForms, createIndex, describe, families, load, parseSpec, registerFamily } from 'annkit';
import type { AnyIndexFamily } from 'annkit';
import { describeIndexLaws, randomRows } from '@annkit/testkit';
import { ReverseScanIndex, reverseScanFamily } from './reverse-scan-family.js';

// The type side of registering a family: its factory strings get its class and options.
declare module 'annkit' {
  interface RegisteredFamilies {
    reverse: typeof reverseScanFamily;
  }
}

const unregister = registerFamily(reverseScanFamily);

describeIndexLaws({
  name: 'ReverseScanIndex (a test-only family, made by createIndex and read by load)',
  create: ({ dim, metric }) => createIndex('Reverse', { dim, metric }),
  deserialize: (bytes) => load(bytes) as ReverseScanIndex,
  exact: true,
});

group('a registered family: createIndex, load and describe handle it with no other change', () => {
  const dim = 8;
  const rows = randomRows(200, dim, 5, 1);
  const ids = Float64Array.from({ length: 200 }, (_, i) => 1000 + i);

  it('createIndex makes it (typed by its head), describe names it, load reads it by its fourcc', () => {
    const index = createIndex('reverse', { dim, metric: 'cosine' });
    expectTypeOf(index).toEqualTypeOf<ReverseScanIndex>();
    expect(index).toBeInstanceOf(ReverseScanIndex);
    index.addBatch(ids, rows);
    expect(describe(index)).toBe('Reverse');
    expect(parseSpec('Reverse')).toEqual({ family: 'reverse-scan', options: {} });
    const loaded = load(index.serialize());
    expect(loaded).toBeInstanceOf(ReverseScanIndex);
    expect(describe(loaded)).toBe('Reverse');
    expect(loaded.serialize()).toEqual(index.serialize());
  });

  it('answers as the exact Flat index does', () => {
    const index = createIndex('Reverse', { dim, metric: 'l2' });
    const flat = new FlatIndex({ dim, metric: 'l2', kernels: 'js' });
    index.addBatch(ids, rows);
    flat.addBatch(ids, rows);
    const queries = randomRows(10, dim, 6, 1);
    const ours = index.searchBatch(queries, 7);
    const theirs = flat.searchBatch(queries, 7);
    ours.forEach((r, q) => {
      expect(Array.from(r.ids)).toEqual(Array.from(theirs[q]!.ids));
      r.distances.forEach((d, i) => expect(d).toBeCloseTo(theirs[q]!.distances[i]!, 4));
    });
  });

  it('is listed with the built-in families, and its form is among the accepted ones', () => {
    expect(families().map((f) => f.kind)).toEqual(['flat', 'sq', 'pq', 'ivf', 'hnsw', 'annoy', 'reverse-scan']);
    expect(acceptedForms()).toContain('Reverse');
    expect(() => createIndex('Reverse,SQ8' as string, { dim, metric: 'l2' })).toThrow(/"SQ8" cannot follow Reverse.*Accepted forms: .*Reverse/);
  });

  it('a family that collides with a known one (kind, fourcc, or a head one starts the other) is refused', () => {
    const cases: [Pick<AnyIndexFamily, 'kind' | 'fourcc' | 'head'>, RegExp][] = [
      [{ kind: 'reverse-scan', fourcc: 'RVS2', head: 'REVERSED' }, /kind "reverse-scan"/],
      [{ kind: 'other', fourcc: 'HNSW', head: 'OTHER' }, /\.annk kind "HNSW"/],
      [{ kind: 'other', fourcc: 'OTHR', head: 'HNSWX' }, /factory head "HNSWX" \(overlaps "HNSW"\)/],
      [{ kind: 'other', fourcc: 'OTHR', head: 'IV' }, /factory head "IV" \(overlaps "IVF"\)/],
      [{ kind: 'other', fourcc: 'OTHR', head: 'lower' }, /upper-case/],
      [{ kind: 'other', fourcc: 'TOOLONG', head: 'OTHER' }, /4 characters/],
    ];
    for (const [change, message] of cases) {
      expect(() => registerFamily({ ...reverseScanFamily, ...change } as AnyIndexFamily)).toThrow(message);
    }
    expect(() => registerFamily(null as never)).toThrow(AnnkitError);
    expect(families()).toHaveLength(7);
  });

  it('once unregistered, its strings and files are unknown again; built-in families stay', () => {
    const bytes = createIndex('Reverse', { dim, metric: 'l2' }).serialize();
    unregister();
    try {
      expect(() => createIndex('Reverse' as string, { dim, metric: 'l2' })).toThrow(/"Reverse" is not a known index/);
      expect(() => load(bytes)).toThrow(/unknown index kind "RVSC"/);
      expect(() => describe(ReverseScanIndex.deserialize(bytes))).toThrow(/describe\(\) knows the registered families/);
      for (const builtin of families()) expect(() => registerFamily(builtin)).toThrow(/kind/);
    } finally {
      registerFamily(reverseScanFamily);
    }
  });
});
