import { Rng, jsKernels } from '@annkit/core';
import type { Metric, SearchResult } from '@annkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlatIndex } from '@annkit/flat';
import { describeIndexLaws } from '@annkit/testkit';
import { createWasmKernels, wasmSupport } from '@annkit/wasm';


/** Relative tolerance between the WASM and TS kernels (float32 accumulation in a different order). */
const REL = 1e-5;
const simd = wasmSupport().simd;

function rows(n: number, dim: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * dim);
  // Few distinct values make exact ties common, so the tie rule is exercised.
  for (let i = 0; i < out.length; i++) out[i] = seed % 3 === 0 ? rng.int(3) - 1 : rng.gaussian();
  return out;
}

/** float64 distance of the metric and its error scale (what float32 accumulation is bounded by). */
function truth(metric: Metric, q: Float32Array, x: Float32Array, xo: number, dim: number): { d: number; scale: number } {
  let dot = 0;
  let l2 = 0;
  let abs = 0;
  let qq = 0;
  let xx = 0;
  let sq = 0;
  for (let i = 0; i < dim; i++) {
    const a = q[i]!;
    const b = x[xo + i]!;
    dot += a * b;
    l2 += (a - b) * (a - b);
    abs += Math.abs(a * b);
    sq += (Math.abs(a) + Math.abs(b)) ** 2;
    qq += a * a;
    xx += b * b;
  }
  if (metric === 'l2') return { d: l2, scale: sq };
  if (metric === 'ip') return { d: -dot, scale: abs };
  const norm = Math.sqrt(qq * xx);
  return { d: 1 - dot / norm, scale: abs / norm + 1 };
}

/**
 * Same results up to ties: equal lengths, rank-wise distances within tolerance, and where the ids differ
 * the two ids are at the same distance within tolerance. Returns a description of the first difference.
 */
function sameUpToTies(a: SearchResult, b: SearchResult, metric: Metric, q: Float32Array, data: Float32Array, dim: number): string | null {
  if (a.ids.length !== b.ids.length) return `lengths ${a.ids.length} vs ${b.ids.length}`;
  for (let i = 0; i < a.ids.length; i++) {
    const ta = truth(metric, q, data, a.ids[i]! * dim, dim);
    const tb = truth(metric, q, data, b.ids[i]! * dim, dim);
    const tol = 4 * REL * Math.max(ta.scale, tb.scale) + 1e-30;
    if (!(Math.abs(a.distances[i]! - b.distances[i]!) <= tol)) return `rank ${i}: distance ${a.distances[i]} vs ${b.distances[i]}`;
    if (a.ids[i] !== b.ids[i] && !(Math.abs(ta.d - tb.d) <= tol)) return `rank ${i}: ids ${a.ids[i]} vs ${b.ids[i]} are not tied (${ta.d} vs ${tb.d})`;
  }
  return null;
}

describe.runIf(simd)('FlatIndex over the WASM kernels', () => {
  const wasm = simd ? createWasmKernels() : null!;

  it('keeps its rows in WebAssembly memory', () => {
    const index = new FlatIndex({ dim: 7, metric: 'l2', kernels: wasm });
    index.add(1, new Float32Array(7).fill(1));
    expect(index.storage.data.buffer).toBe(wasm.heap.buffer);
  });

  it('returns what the TS kernels return, except ties within tolerance (search and searchBatch)', () => {
    fc.assert(
      fc.property(
        fc.record({
          dim: fc.integer({ min: 1, max: 300 }),
          n: fc.integer({ min: 1, max: 400 }),
          k: fc.integer({ min: 1, max: 25 }),
          metric: fc.constantFrom<Metric>('l2', 'ip', 'cosine'),
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
        }),
        ({ dim, n, k, metric, seed }) => {
          const data = rows(n, dim, seed);
          if (metric === 'cosine') for (let i = 0; i < data.length; i += dim) if (data.subarray(i, i + dim).every((v) => v === 0)) data[i] = 1;
          const ids = Float64Array.from({ length: n }, (_, i) => i);
          const a = new FlatIndex({ dim, metric, kernels: wasm });
          const b = new FlatIndex({ dim, metric, kernels: jsKernels });
          a.addBatch(ids, data);
          b.addBatch(ids, data);
          const queries = rows(4, dim, seed + 1);
          if (metric === 'cosine') for (let i = 0; i < queries.length; i += dim) queries[i] = queries[i]! + 0.5;
          const batchA = a.searchBatch(queries, k);
          const batchB = b.searchBatch(queries, k);
          for (let j = 0; j < 4; j++) {
            const q = queries.subarray(j * dim, (j + 1) * dim);
            expect(sameUpToTies(a.search(q, k), b.search(q, k), metric, q, data, dim)).toBeNull();
            expect(sameUpToTies(batchA[j]!, batchB[j]!, metric, q, data, dim)).toBeNull();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stays right when the memory grows in the middle of a workload', () => {
    // A small memory so that adding rows between searches has to grow it (detaching every earlier view).
    const k = createWasmKernels({ scratchBytes: 4096, initialPages: 1 });
    const dim = 37;
    const total = 6000;
    const data = rows(total, dim, 11);
    const a = new FlatIndex({ dim, metric: 'l2', kernels: k, initialCapacity: 1 });
    const b = new FlatIndex({ dim, metric: 'l2', kernels: jsKernels, initialCapacity: 1 });
    const queries = rows(3, dim, 12);
    const buffers = new Set<ArrayBuffer>([k.heap.buffer]);
    let added = 0;
    for (const step of [10, 90, 400, 1500, 4000]) {
      for (let i = 0; i < step; i++, added++) {
        const v = data.subarray(added * dim, (added + 1) * dim);
        a.add(added, v);
        b.add(added, v);
      }
      // Also mutate: remove one, upsert one (swap-removes move rows inside the heap).
      a.remove(added >> 1);
      b.remove(added >> 1);
      const v = data.subarray(0, dim);
      a.upsert(added >> 2, v);
      b.upsert(added >> 2, v);
      buffers.add(k.heap.buffer);
      for (let j = 0; j < 3; j++) {
        const q = queries.subarray(j * dim, (j + 1) * dim);
        const [ra, rb] = [a.search(q, 10), b.search(q, 10)];
        const model = new Float32Array(total * dim);
        for (let id = 0; id < added; id++) if (b.has(id)) model.set(b.getVector(id), id * dim);
        expect(sameUpToTies(ra, rb, 'l2', q, model, dim)).toBeNull();
        expect(a.searchBatch(queries, 10)[j]!.ids).toEqual(ra.ids);
      }
    }
    expect(buffers.size).toBeGreaterThan(2); // the memory really grew between searches
    expect(k.heap.stats.memoryBytes).toBeGreaterThan(total * 40 * 4);
  });
});

if (simd) {
  const wasm = createWasmKernels();
  // The shared law suite (exactness vs brute force, errors, round trips, model-based commands) with WASM kernels.
  describeIndexLaws({
    name: 'FlatIndex with WASM kernels',
    exact: true,
    numRuns: 20,
    create: ({ dim, metric }) => new FlatIndex({ dim, metric, kernels: wasm }),
    deserialize: (bytes) => FlatIndex.deserialize(bytes, { kernels: wasm }),
  });
}
