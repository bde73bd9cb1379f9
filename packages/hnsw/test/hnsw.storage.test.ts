import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodeStorage, Float32Storage, jsKernels, OwnedHeap } from '@annkit/core';
import type { Metric, QueryDistance } from '@annkit/core';
import { HnswIndex } from '@annkit/hnsw';
import type { HnswIndexOptions } from '@annkit/hnsw';
import { SqCodec } from '@annkit/sq';
import { resolveKernels } from '@annkit/wasm';
import { bytesEqual, expectCode, randomRows } from '@annkit/testkit';
import { level0For } from '../src/level0.js';
import { NeighborSelector } from '../src/select-neighbors.js';

const dim = 8;
const rows = (n: number, seed: number) => randomRows(n, dim, seed, 2);
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const minorOf = (bytes: Uint8Array) => bytes[10]! | (bytes[11]! << 8);

function built(options: Partial<HnswIndexOptions> = {}, n = 200): HnswIndex {
  const index = new HnswIndex({ dim, metric: 'l2', m: 6, efConstruction: 32, seed: 3, ...options });
  if (!index.isTrained) index.train(rows(256, 1));
  index.addBatch(ids(n), rows(n, 2));
  return index;
}

describe('HnswIndex storage options', () => {
  it('accepts float32, fp16, sq8 and { type: pq }, and rejects anything else with INVALID_ARGUMENT', () => {
    expect(new HnswIndex({ dim, metric: 'l2', storage: 'fp16' }).storage).toBe('fp16');
    const pq = new HnswIndex({ dim, metric: 'l2', storage: { type: 'pq', m: 4 } });
    expect(pq.storage).toBe('pq');
    expect(pq.pq).toEqual({ m: 4, nbits: 8, niter: 25 });
    expect(new HnswIndex({ dim, metric: 'l2' }).pq).toBeNull();
    const bad: unknown[] = ['pq', 'sq4', 'float16', { type: 'pq', m: 3 }, { type: 'pq', m: 0 }, { type: 'pq', m: 16 }, { type: 'pq', m: 4, nbits: 6 }, { type: 'pq', m: 4, niter: 0 }, { type: 'sq' }, 8];
    for (const storage of bad) expectCode(() => new HnswIndex({ dim, metric: 'l2', storage: storage as never }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim, metric: 'l2', storage: 'fp16', rerank: 2 }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim, metric: 'l2', storage: 'fp16', keepVectors: true, rerank: 0.5 }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim, metric: 'l2', kernels: 'fast' as never }), 'INVALID_ARGUMENT');
  });

  it('fp16 needs no training and takes half the float bytes per row; pq needs train() first', () => {
    const fp16 = built({ storage: 'fp16' });
    const float = built();
    expect(fp16.isTrained).toBe(true);
    expect(float.memoryBytes - fp16.memoryBytes).toBeGreaterThanOrEqual(200 * dim * 2);
    const pq = new HnswIndex({ dim, metric: 'ip', storage: { type: 'pq', m: 2 } });
    expect(pq.isTrained).toBe(false);
    expectCode(() => pq.add(1, rows(1, 4)), 'NOT_TRAINED');
    pq.train(rows(300, 5));
    pq.addBatch(ids(50), rows(50, 6));
    expectCode(() => pq.train(rows(300, 5)), 'INVALID_STATE');
    expect(pq.search(rows(1, 7), 5).ids.length).toBe(5);
  });

  it('rerank without kept vectors is INVALID_ARGUMENT for every quantized storage', () => {
    for (const storage of ['fp16', 'sq8', { type: 'pq', m: 4, nbits: 4 }] as const) {
      const index = built({ storage }, 20);
      expectCode(() => index.search(rows(1, 9), 3, { rerank: 2 }), 'INVALID_ARGUMENT');
    }
  });

  it('a default rerank factor gives exact distances without a per-search option, and is saved with the index', () => {
    const index = built({ storage: { type: 'pq', m: 2, nbits: 4 }, keepVectors: true, rerank: 8 });
    const exact = built();
    const q = rows(1, 11);
    const r = index.search(q, 5);
    const truth = exact.search(q, 5, { efSearch: 200 });
    r.distances.forEach((d, i) => expect(Math.abs(d - truth.distances[i]!)).toBeLessThan(1e-5));
    // The codes' own distances come back when a search asks for no rerank.
    expect(Array.from(index.search(q, 5, { rerank: 0 }).distances)).not.toEqual(Array.from(r.distances));
    const bytes = index.serialize();
    const loaded = HnswIndex.deserialize(bytes);
    expect(loaded.rerank).toBe(8);
    expect(Array.from(loaded.search(q, 5).distances)).toEqual(Array.from(r.distances));
  });

  it('writes format 1.0 for float32 and sq8 (what 1.0 readers know) and 1.1 for fp16, pq or a default rerank', () => {
    expect(minorOf(built().serialize())).toBe(0);
    expect(minorOf(built({ storage: 'sq8', keepVectors: true }).serialize())).toBe(0);
    expect(minorOf(built({ storage: 'fp16' }).serialize())).toBe(1);
    expect(minorOf(built({ storage: { type: 'pq', m: 4 } }).serialize())).toBe(1);
    expect(minorOf(built({ storage: 'sq8', keepVectors: true, rerank: 2 }).serialize())).toBe(1);
  });

  it('an untrained pq index round-trips and trains the same afterwards', () => {
    const make = () => new HnswIndex({ dim, metric: 'cosine', storage: { type: 'pq', m: 4, nbits: 4, niter: 7 } });
    const loaded = HnswIndex.deserialize(make().serialize());
    expect(loaded.isTrained).toBe(false);
    expect(loaded.pq).toEqual({ m: 4, nbits: 4, niter: 7 });
    const twin = make();
    for (const index of [loaded, twin]) {
      index.train(rows(100, 12));
      index.addBatch(ids(40), rows(40, 13));
    }
    expect(bytesEqual(loaded.serialize(), twin.serialize())).toBe(true);
  });
});

describe('HnswIndex level-0 links', () => {
  it('live inside float rows that keep room for them, and in their own array for any other storage', () => {
    const floats = new Float32Storage(dim, 'l2', jsKernels, { extraInts: 13 });
    expect(level0For(floats, 13, 16)).toBe(floats);
    for (const storage of [new Float32Storage(dim, 'l2', jsKernels, { extraInts: 12 }), new CodeStorage(new SqCodec({ dim, type: 'fp16' }), 'l2', jsKernels)]) {
      const apart = level0For(storage, 13, 16);
      expect(apart).not.toBe(storage);
      expect(apart.extraBase).toBe(0);
      expect(apart.stride).toBe(13);
      apart.reserve(100);
      expect(apart.ints.length).toBeGreaterThanOrEqual(100 * 13);
    }
  });

  it('memoryBytes counts interleaved links once, with the rows', () => {
    const index = built({}, 100);
    const stride = (((dim + 3) & ~3) + 13 + 3) & ~3;
    const graph = index.memoryBytes - 100 * stride * 4 - 100 * 8;
    expect(graph).toBeGreaterThanOrEqual(100 * 6);
    expect(graph).toBeLessThan(100 * 6 + 100 * 7 * 4);
  });
});

/** The heuristic as the paper states it: candidate by candidate, against every neighbour kept so far. */
function referenceSelect(dc: QueryDistance, candDist: Float32Array, candSlot: Int32Array, n: number, max: number, keepPruned: boolean, preset: number[]): number[] {
  if (preset.length === 0 && n <= max) return Array.from(candSlot.subarray(0, n));
  const list = [...preset];
  const pruned: number[] = [];
  for (let i = 0; i < n && list.length < max; i++) {
    const c = candSlot[i]!;
    if (list.every((k) => Math.fround(dc.between(c, k)) >= candDist[i]!)) list.push(c);
    else pruned.push(c);
  }
  if (keepPruned) for (const c of pruned) if (list.length < max) list.push(c);
  return list;
}

describe('NeighborSelector', () => {
  it('keeps exactly what the candidate-by-candidate heuristic keeps (kept, pruned fill and preset neighbours)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        fc.constantFrom<Metric>('l2', 'ip'),
        fc.integer({ min: 0, max: 1000 }),
        (n, max, presetCount, keepPruned, metric, seed) => {
          const total = n + presetCount + 1;
          const storage = new Float32Storage(4, metric, jsKernels, { initialCapacity: total });
          const data = randomRows(total, 4, seed, 1);
          for (let s = 0; s < total; s++) storage.append(data, s * 4);
          const dc = storage.createDistance();
          // Slot 0 is the base node; the next presetCount are kept already; the rest are candidates.
          const candSlot = Int32Array.from({ length: n }, (_, i) => 1 + presetCount + i);
          const candDist = Float32Array.from(candSlot, (s) => dc.between(0, s));
          const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => candDist[a]! - candDist[b]! || a - b);
          const sortedSlot = Int32Array.from(order, (i) => candSlot[i]!);
          const sortedDist = Float32Array.from(order, (i) => candDist[i]!);
          const preset = Array.from({ length: presetCount }, (_, i) => 1 + i);
          const room = max + presetCount;
          const selector = new NeighborSelector(jsKernels);
          selector.reserve(n);
          const outSlot = new Int32Array(room + n);
          const outDist = new Float32Array(room + n);
          outSlot.set(preset);
          const count = selector.select(dc, sortedDist, sortedSlot, n, room, keepPruned, outSlot, outDist, presetCount);
          expect(Array.from(outSlot.subarray(0, count))).toEqual(referenceSelect(dc, sortedDist, sortedSlot, n, room, keepPruned, preset));
          for (let i = presetCount; i < count; i++) expect(outDist[i]).toBe(sortedDist[Array.from(sortedSlot).indexOf(outSlot[i]!)]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('HnswIndex contract', () => {
  it('free() gives every heap block back; then each method throws INVALID_STATE; freeing twice is harmless', () => {
    for (const storage of ['float32', 'sq8', { type: 'pq', m: 4 }] as const) {
      const index = built({ storage, keepVectors: storage !== 'float32', kernels: 'wasm' }, 50);
      const heap = index.kernels.heap as OwnedHeap;
      expect(heap.liveBlocks).toBeGreaterThan(0);
      index.free();
      expect(heap.liveBlocks).toBe(0);
      expect(index.isFreed).toBe(true);
      const q = rows(1, 3);
      for (const call of [() => index.search(q, 2), () => index.add(999, q), () => index.compact(), () => index.train(rows(10, 1)), () => index.ids(), () => index.serialize()]) {
        expectCode(call, 'INVALID_STATE');
      }
      index.free();
    }
  });

  it('takes number[] vectors, lists its ids and loads from a Buffer or an ArrayBuffer', () => {
    const index = built({}, 30);
    const v = [0.5, -1, 2, 0, 1, 1, -0.25, 3];
    index.add(500, v);
    expect(Array.from(index.getVector(500))).toEqual(v);
    expect(Array.from(index.search(v, 3).ids)).toEqual(Array.from(index.search(Float32Array.from(v), 3).ids));
    index.upsert(7, v);
    index.remove(3);
    expect([...index.ids()].sort((a, b) => a - b)).toEqual([...ids(30).filter((id) => id !== 3), 500]);
    const bytes = index.serialize();
    const fromBuffer = HnswIndex.deserialize(Buffer.from(bytes));
    const fromArrayBuffer = HnswIndex.deserialize(bytes.slice().buffer);
    for (const loaded of [fromBuffer, fromArrayBuffer]) expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
    expectCode(() => HnswIndex.deserialize('bytes' as never), 'INVALID_ARGUMENT');
  });

  it('computes with the WASM kernels by default, and with the TypeScript ones when asked', () => {
    expect(new HnswIndex({ dim, metric: 'l2' }).backend).toBe(resolveKernels('auto').backend);
    expect(new HnswIndex({ dim, metric: 'l2', kernels: 'wasm' }).backend).toBe('wasm-simd128');
    expect(new HnswIndex({ dim, metric: 'l2', kernels: 'js' }).backend).toBe('js');
    expect(HnswIndex.deserialize(built({}, 5).serialize(), { kernels: 'js' }).backend).toBe('js');
  });
});
