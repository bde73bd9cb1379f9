import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, crc32 } from '@annkit/core';
import { expectCode } from '@annkit/testkit';
import { kmeans } from '@annkit/kmeans';
import type { KMeansOptions } from '@annkit/kmeans';
import { WasmHeap, loadKernelsSync, wasmSupport } from '@annkit/wasm';

/** Rows as small integers (ties and duplicates happen) or floats. */
const samplesArb = fc.record({ dim: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 1, max: 120 }) }).chain(({ dim, n }) =>
  fc.record({
    dim: fc.constant(dim),
    data: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.float({ min: -10, max: 10, noNaN: true })), { minLength: n * dim, maxLength: n * dim }).map((xs) => Float32Array.from(xs)),
  }),
);

function blobs(centers: number[][], perBlob: number, spread: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const dim = centers[0]!.length;
  const out = new Float32Array(centers.length * perBlob * dim);
  let o = 0;
  for (let p = 0; p < perBlob; p++) for (const c of centers) for (let i = 0; i < dim; i++) out[o++] = c[i]! + spread * rng.gaussian();
  return out;
}

describe('kmeans', () => {
  it('never increases its objective across iterations, for any data, init and seed', () => {
    fc.assert(
      fc.property(samplesArb, fc.integer({ min: 1, max: 20 }), fc.nat(1000), fc.boolean(), fc.boolean(), ({ dim, data }, k, seed, plusPlus, spherical) => {
        const r = kmeans(data, { k, dim, seed, niter: 12, init: plusPlus ? 'kmeans++' : 'random', spherical });
        for (let i = 1; i < r.objective.length; i++) {
          const prev = r.objective[i - 1]!;
          // Centroids are float32: allow the last bits of rounding, nothing more.
          expect(r.objective[i]!).toBeLessThanOrEqual(prev + 1e-6 * (1 + Math.abs(prev)));
        }
        expect(r.centroids.length).toBe(r.k * dim);
        expect(r.centroids.every((v) => Number.isFinite(v))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic for a fixed seed', () => {
    fc.assert(
      fc.property(samplesArb, fc.integer({ min: 1, max: 12 }), fc.nat(1000), ({ dim, data }, k, seed) => {
        const a = kmeans(data, { k, dim, seed, niter: 6 });
        const b = kmeans(data, { k, dim, seed, niter: 6 });
        expect(Array.from(b.centroids)).toEqual(Array.from(a.centroids));
        expect(b.objective).toEqual(a.objective);
      }),
      { numRuns: 60 },
    );
  });

  it('recovers well-separated clusters', () => {
    const centers = [
      [0, 0, 0],
      [10, 0, 0],
      [0, 10, 0],
      [0, 0, 10],
      [10, 10, 10],
    ];
    const r = kmeans(blobs(centers, 200, 0.5, 3), { k: 5, dim: 3, seed: 7 });
    for (const c of centers) {
      let best = Infinity;
      for (let j = 0; j < r.k; j++) best = Math.min(best, Math.hypot(...c.map((v, i) => v - r.centroids[j * 3 + i]!)));
      expect(best).toBeLessThan(0.2);
    }
  });

  it('spherical centroids have unit length', () => {
    const r = kmeans(blobs([[1, 2, 3, 4], [-4, 1, 0, 2], [0, -3, 3, 1]], 50, 0.3, 5), { k: 3, dim: 4, spherical: true, seed: 1 });
    for (let j = 0; j < r.k; j++) expect(Math.hypot(...r.centroids.subarray(j * 4, j * 4 + 4))).toBeCloseTo(1, 5);
  });

  it('fewer samples than centroids: reduces k to the sample count, with a warning', () => {
    const r = kmeans(Float32Array.of(1, 2, 3, 4, 5, 6), { k: 10, dim: 2, seed: 1 });
    expect(r.k).toBe(3);
    expect(r.centroids.length).toBe(6);
    expect(r.warnings.some((w) => w.includes('trained 3 centroids'))).toBe(true);
    // Each sample becomes a centroid.
    expect(new Set(Array.from(r.objective.slice(-1)))).toEqual(new Set([0]));
  });

  it('handles duplicates (fewer distinct points than k) and constant dimensions', () => {
    const dup = new Float32Array(40 * 3);
    for (let i = 0; i < 40; i++) dup.set([i % 2, 5, -1], i * 3);
    for (const init of ['kmeans++', 'random'] as const) {
      const r = kmeans(dup, { k: 6, dim: 3, seed: 2, init });
      expect(r.k).toBe(6);
      expect(r.objective[r.objective.length - 1]).toBe(0);
      for (let j = 0; j < r.k; j++) {
        expect(r.centroids[j * 3 + 1]).toBe(5);
        expect(r.centroids[j * 3 + 2]).toBe(-1);
      }
    }
  });

  it('subsamples above maxPointsPerCentroid and says so', () => {
    const data = blobs([[0, 0], [5, 5]], 300, 1, 9);
    const r = kmeans(data, { k: 2, dim: 2, maxPointsPerCentroid: 50 });
    expect(r.trainedOn).toBe(100);
    expect(r.warnings.some((w) => w.includes('subsample'))).toBe(true);
  });

  it('reports progress to done = total and stops on abort', () => {
    const data = blobs([[0, 0], [5, 5], [9, 0]], 400, 1, 4);
    const events: { done: number; total: number }[] = [];
    kmeans(data, { k: 3, dim: 2, niter: 5, onProgress: (e) => events.push(e) });
    expect(events[0]!.done).toBe(0);
    expect(events.at(-1)!.done).toBe(events.at(-1)!.total);
    expect(events.every((e, i) => i === 0 || e.done >= events[i - 1]!.done)).toBe(true);
    expectCode(() => kmeans(data, { k: 3, dim: 2, signal: AbortSignal.abort() }), 'ABORTED');
    const controller = new AbortController();
    expectCode(
      () =>
        kmeans(data, {
          k: 3,
          dim: 2,
          niter: 50,
          signal: controller.signal,
          onProgress: (e) => {
            if (e.done > 0) controller.abort();
          },
        }),
      'ABORTED',
    );
  });

  it('rejects bad input with typed errors', () => {
    const ok = new Float32Array(12);
    expectCode(() => kmeans(ok, { k: 0, dim: 3 }), 'INVALID_ARGUMENT');
    expectCode(() => kmeans(ok, { k: 2, dim: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => kmeans(ok, { k: 2, dim: 5 }), 'DIMENSION_MISMATCH');
    expectCode(() => kmeans(new Float32Array(0), { k: 2, dim: 3 }), 'INVALID_ARGUMENT');
    expectCode(() => kmeans(Float32Array.of(1, NaN, 3), { k: 1, dim: 3 }), 'INVALID_VECTOR');
    expectCode(() => kmeans([1, 2, 3] as unknown as Float32Array, { k: 1, dim: 3 }), 'INVALID_ARGUMENT');
    expectCode(() => kmeans(ok, { k: 2, dim: 3, niter: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => kmeans(ok, { k: 2, dim: 3, init: 'best' as never }), 'INVALID_ARGUMENT');
    expectCode(() => kmeans(ok, { k: 2, dim: 3, maxPointsPerCentroid: 0 }), 'INVALID_ARGUMENT');
  });

  describe('kernels', () => {
    /** Gaussian rows around (0, 1, …, dim − 1), as the fingerprints below were recorded on. */
    function shifted(n: number, dim: number, seed: number): Float32Array {
      const rng = new Rng(seed);
      const out = new Float32Array(n * dim);
      for (let i = 0; i < out.length; i++) out[i] = rng.gaussian() * 3 + (i % dim);
      return out;
    }
    const cases: { n: number; opts: KMeansOptions; centroidsCrc: number; objective: number; iterations: number }[] = [
      { n: 700, opts: { dim: 7, k: 9, seed: 5, init: 'kmeans++' }, centroidsCrc: 2569284086, objective: 27315.991965293884, iterations: 24 },
      { n: 500, opts: { dim: 16, k: 12, seed: 42, init: 'random' }, centroidsCrc: 2421700625, objective: 53564.22219276428, iterations: 21 },
      { n: 600, opts: { dim: 5, k: 7, seed: 3, init: 'kmeans++', spherical: true }, centroidsCrc: 553225332, objective: -503.5981162972748, iterations: 13 },
      { n: 3000, opts: { dim: 12, k: 4, seed: 11, maxPointsPerCentroid: 100 }, centroidsCrc: 2132692561, objective: 36556.5423412323, iterations: 17 },
    ];

    it("kernels: 'js' gives exactly the centroids the TS kernels gave before WASM became the default", () => {
      for (const c of cases) {
        const r = kmeans(shifted(c.n, c.opts.dim, c.opts.seed! + 100), { ...c.opts, kernels: 'js' });
        expect(crc32(new Uint8Array(r.centroids.buffer))).toBe(c.centroidsCrc);
        expect(r.objective.at(-1)).toBe(c.objective);
        expect(r.iterations).toBe(c.iterations);
      }
    });

    it('defaults to the WASM kernels where supported (its heap holds the working rows while training)', () => {
      const heap = loadKernelsSync().heap;
      if (!wasmSupport().simd || !(heap instanceof WasmHeap)) {
        expect(loadKernelsSync().backend).toBe('js');
        return;
      }
      const idle = heap.stats.liveBlocks;
      let busiest = idle;
      const c = cases[0]!;
      const data = shifted(c.n, c.opts.dim, c.opts.seed! + 100);
      const r = kmeans(data, { ...c.opts, onProgress: () => (busiest = Math.max(busiest, heap.stats.liveBlocks)) });
      expect(busiest).toBeGreaterThan(idle);
      expect(heap.stats.liveBlocks).toBe(idle);
      // Same clustering as the TS kernels, up to float32 rounding of the objective.
      const js = kmeans(data, { ...c.opts, kernels: 'js' });
      expect(r.objective.at(-1)!).toBeCloseTo(js.objective.at(-1)!, 0);
      expectCode(() => kmeans(data, { ...c.opts, kernels: 'fast' as never }), 'INVALID_ARGUMENT');
    });
  });
});
