import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels, TrainableIndex, VectorIndex } from '@annkit/core';
import { WasmHeap, createWasmKernels, loadKernelsSync, wasmSupport } from '@annkit/wasm';
import { randomRows } from '@annkit/testkit';

/*
 * Memory given back (issue 11): an index owns its WebAssembly heap blocks and returns them on free(), at the
 * end of a `using` block, or when the garbage collector finds it dropped (FinalizationRegistry). A server that
 * builds an index per tenant or per request must plateau, not grow: 1,000 create/fill/search/drop cycles of a
 * 200 × 64-d index may grow the process by at most 32 MB, for every family. Needs `--expose-gc` (vitest.config.ts).
 */

const DIM = 64;
const ROWS = 200;
const CYCLES = 1000;
const MB = 1 << 20;
const GROWTH_LIMIT = 32 * MB;
/** Cycles between full collections (a full gc costs tens of ms here; 25 dropped indexes hold about 2 MB). */
const GC_EVERY = 25;

type Create = (dim: number, kernels?: Kernels) => VectorIndex;

interface Family {
  name: string;
  /** Imported per family, so one package that does not load fails its own tests only. */
  load(): Promise<Create>;
}

const metric = 'l2' as const;
const FAMILIES: readonly Family[] = [
  {
    name: 'Flat',
    load: async () => {
      const { FlatIndex } = await import('@annkit/flat');
      return (dim, kernels) => new FlatIndex({ dim, metric, kernels });
    },
  },
  {
    name: 'SQ8',
    load: async () => {
      const { SqIndex } = await import('@annkit/sq');
      return (dim, kernels) => new SqIndex({ dim, metric, type: 'sq8', kernels });
    },
  },
  {
    name: 'PQ',
    load: async () => {
      const { PqIndex } = await import('@annkit/pq');
      return (dim, kernels) => new PqIndex({ dim, metric, m: 8, nbits: 4, kernels });
    },
  },
  {
    name: 'IVF-Flat',
    load: async () => {
      const { IvfIndex } = await import('@annkit/ivf');
      return (dim, kernels) => new IvfIndex({ dim, metric, nlist: 8, codec: 'flat', kernels });
    },
  },
  {
    name: 'IVF-PQ',
    load: async () => {
      const { IvfIndex } = await import('@annkit/ivf');
      return (dim, kernels) => new IvfIndex({ dim, metric, nlist: 8, codec: { type: 'pq', m: 8, nbits: 4 }, kernels });
    },
  },
  {
    name: 'HNSW',
    load: async () => {
      const { HnswIndex } = await import('@annkit/hnsw');
      return (dim, kernels) => new HnswIndex({ dim, metric, m: 16, kernels });
    },
  },
  {
    name: 'Annoy',
    load: async () => {
      const { AnnoyIndex } = await import('@annkit/annoy');
      return (dim, kernels) => new AnnoyIndex({ dim, metric, nTrees: 10, kernels });
    },
  },
];

const rows = randomRows(ROWS, DIM, 17, 1);
const ids = Float64Array.from({ length: ROWS }, (_, i) => i);
const query = randomRows(1, DIM, 18, 1);

const gc = (globalThis as { gc?: () => void }).gc;
const shared = loadKernelsSync();
const sharedHeap = shared.heap instanceof WasmHeap ? shared.heap : null;

/** A full collection, then a macrotask so FinalizationRegistry callbacks (which give the blocks back) run. */
async function collect(): Promise<void> {
  gc!();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Collects until two rounds leave the same live bytes: one round may leave some finalizers for the next. */
async function settle(heap: WasmHeap): Promise<void> {
  let last = -1;
  for (let round = 0; round < 10; round++) {
    await collect();
    const live = heap.stats.liveBytes;
    if (live === last) return;
    last = live;
  }
}

/** What a long-running process pays for: the shared WebAssembly memory (it never shrinks) plus the JS heap. */
function footprint(heap: WasmHeap): number {
  return heap.stats.memoryBytes + process.memoryUsage().heapUsed;
}

/** One tenant's life: create, train if needed, fill, search; then free() it or just drop it. */
function cycle(name: string, create: Create, free: boolean): void {
  const index = create(DIM);
  const trainable = index as Partial<TrainableIndex>;
  if (typeof trainable.train === 'function' && trainable.isTrained === false) trainable.train(rows);
  index.addBatch(ids, rows);
  if (index.search(query, 10).ids.length !== 10) throw new Error(`${name}: a search of ${ROWS} rows found fewer than 10`);
  if (free) index.free();
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function signedMb(bytes: number): string {
  return `${bytes < 0 ? '' : '+'}${mb(bytes)}`;
}

describe('memory: every index gives its WebAssembly blocks back', () => {
  it('runs with the shared WASM heap and an exposed gc (vitest execArgv --expose-gc)', () => {
    expect(typeof gc, 'globalThis.gc: run vitest with execArgv ["--expose-gc"]').toBe('function');
    if (wasmSupport().simd) expect(sharedHeap).not.toBeNull();
  });

  for (const family of FAMILIES) {
    describe(family.name, () => {
      let create: Create;
      beforeAll(async () => {
        create = await family.load();
      });

      it('uses the shared WASM kernels by default', () => {
        const index = create(DIM);
        expect(index.backend).toBe(shared.backend);
        index.free();
      });

      it(`${CYCLES} create/fill/search/drop cycles WITHOUT free() (GC every ${GC_EVERY}) grow the process by ≤ 32 MB`, async () => {
        if (sharedHeap === null) return;
        for (let i = 0; i < 10; i++) cycle(family.name, create, false);
        await settle(sharedHeap);
        const before = footprint(sharedHeap);
        const liveBefore = sharedHeap.stats.liveBytes;
        for (let i = 0; i < CYCLES; i++) {
          cycle(family.name, create, false);
          if (i % GC_EVERY === GC_EVERY - 1) await collect();
        }
        await settle(sharedHeap);
        const growth = footprint(sharedHeap) - before;
        console.log(`[memory] ${family.name} without free(): ${signedMb(growth)} MB over ${CYCLES} cycles (WASM memory ${mb(sharedHeap.stats.memoryBytes)} MB)`);
        expect(growth).toBeLessThanOrEqual(GROWTH_LIMIT);
        // The garbage collector gave every dropped index's blocks back.
        expect(sharedHeap.stats.liveBytes).toBe(liveBefore);
      });

      it(`${CYCLES} cycles WITH free() give every block back at once and grow the process by ≤ 32 MB`, async () => {
        if (sharedHeap === null) return;
        cycle(family.name, create, true);
        await settle(sharedHeap);
        const before = footprint(sharedHeap);
        const liveBefore = sharedHeap.stats.liveBytes;
        for (let i = 0; i < CYCLES; i++) {
          cycle(family.name, create, true);
          // free() returns everything at once: no garbage collection needed.
          if (sharedHeap.stats.liveBytes !== liveBefore) throw new Error(`cycle ${i}: ${sharedHeap.stats.liveBytes - liveBefore} bytes still live after free()`);
        }
        await collect();
        const growth = footprint(sharedHeap) - before;
        console.log(`[memory] ${family.name} with free(): ${signedMb(growth)} MB over ${CYCLES} cycles`);
        expect(growth).toBeLessThanOrEqual(GROWTH_LIMIT);
      });
    });
  }
});

describe('memory: the heap high-water mark stays bounded under churn', () => {
  /** Small rows keep 50k graph inserts quick; the allocation pattern (growth, holes, scratch) is the same. */
  const CHURN_DIM = 16;

  interface ChurnResult {
    /** Most bytes live in the heap at once (sampled after every operation). */
    peakLive: number;
    /** The memory's size when the first grow-and-shrink round ended. */
    afterFirstRound: number;
  }

  /** Adds until `high` rows are live, removes down to `low` at random, and again, for `ops` operations in all. */
  function churn(index: VectorIndex, heap: WasmHeap, ops: number, low: number, high: number, dim: number): ChurnResult {
    const pool = randomRows(256, dim, 5, 1);
    const live: number[] = [];
    let nextId = 0;
    let growing = true;
    let peakLive = heap.stats.liveBytes;
    let afterFirstRound = 0;
    let seed = 12345;
    for (let op = 0; op < ops; op++) {
      if (growing) {
        index.add(nextId, pool.subarray((nextId % 256) * dim, ((nextId % 256) + 1) * dim));
        live.push(nextId++);
        if (live.length >= high) growing = false;
      } else {
        // A pseudo-random live id, so holes open all over the index.
        seed = (seed * 1103515245 + 12345) >>> 0;
        const at = seed % live.length;
        index.remove(live[at]!);
        live[at] = live[live.length - 1]!;
        live.pop();
        if (live.length <= low) {
          growing = true;
          if (afterFirstRound === 0) afterFirstRound = heap.stats.memoryBytes;
        }
      }
      peakLive = Math.max(peakLive, heap.stats.liveBytes);
    }
    return { peakLive, afterFirstRound };
  }

  for (const family of FAMILIES) {
    it(`${family.name}: 100k adds and removes on one index grow WASM memory only in the first round, to ≤ 3 × peak live bytes + the initial memory`, async () => {
      if (!wasmSupport().simd) return;
      // An instance of its own with a small memory, so the high-water mark is this index's alone.
      const kernels = createWasmKernels({ scratchBytes: 4096, initialPages: 1 });
      const heap = kernels.heap as WasmHeap;
      const initial = heap.stats.memoryBytes;
      const idle = heap.stats.liveBytes;
      const index = (await family.load())(CHURN_DIM, kernels);
      const trainable = index as Partial<TrainableIndex>;
      if (typeof trainable.train === 'function' && trainable.isTrained === false) trainable.train(randomRows(ROWS, CHURN_DIM, 19, 1));
      const { peakLive, afterFirstRound } = churn(index, heap, 100_000, 200, 2000, CHURN_DIM);
      const highWater = heap.stats.memoryBytes;
      console.log(`[memory] ${family.name} churn: peak live ${mb(peakLive - idle)} MB, WASM memory ${mb(afterFirstRound)} MB after the first round, ${mb(highWater)} MB after 100k operations`);
      // Churn reuses what the first round grew (freed blocks coalesce): the memory never grows again.
      expect(highWater).toBe(afterFirstRound);
      // Growing by 1.5× reallocations holds the old and the new block at once, and the memory grows by whole
      // pages (at least a quarter at a time): the first round may reach up to 3× what is live.
      expect(highWater).toBeLessThanOrEqual(3 * peakLive + initial);
      index.free();
      expect(heap.stats.liveBytes).toBe(idle);
    });
  }
});
