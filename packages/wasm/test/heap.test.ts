import { HeapArray, Rng, VectorStore } from '@annkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../src/index.js';

type Op = { kind: 'alloc'; bytes: number } | { kind: 'free'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('alloc' as const), bytes: fc.oneof(fc.integer({ min: 0, max: 256 }), fc.integer({ min: 0, max: 200_000 })) }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
);

// Each live block is stamped with its own id at both ends and the middle; growth and neighbours must keep it.
function stamp(heap: WasmHeap, ptr: number, size: number, id: number): void {
  const u8 = new Uint8Array(heap.buffer);
  u8[ptr] = id & 255;
  u8[ptr + (size >> 1)] = (id >> 8) & 255;
  u8[ptr + size - 1] = (id * 7) & 255;
}

function stamped(heap: WasmHeap, ptr: number, size: number, id: number): boolean {
  const u8 = new Uint8Array(heap.buffer);
  return u8[ptr] === (id & 255) && u8[ptr + (size >> 1)] === ((id >> 8) & 255) && u8[ptr + size - 1] === ((id * 7) & 255);
}

describe('WasmHeap', () => {
  it('random alloc/free: 16-aligned, non-overlapping, inside memory, contents kept across growth, all bytes accounted', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }));
        const live: { ptr: number; size: number; id: number }[] = [];
        let nextId = 1;
        for (const o of ops) {
          if (o.kind === 'alloc') {
            const ptr = heap.alloc(o.bytes);
            const size = heap.sizeOf(ptr)!;
            expect(ptr % 16).toBe(0);
            expect(ptr).toBeGreaterThanOrEqual(16);
            expect(size).toBeGreaterThanOrEqual(Math.max(1, o.bytes));
            expect(ptr + size).toBeLessThanOrEqual(heap.buffer.byteLength);
            const id = nextId++;
            stamp(heap, ptr, size, id);
            live.push({ ptr, size, id });
          } else if (live.length > 0) {
            const [b] = live.splice(o.pick % live.length, 1);
            heap.free(b!.ptr);
          }
          const sorted = [...live].sort((a, b) => a.ptr - b.ptr);
          for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.ptr + sorted[i - 1]!.size).toBeLessThanOrEqual(sorted[i]!.ptr);
          for (const b of live) expect(stamped(heap, b.ptr, b.size, b.id)).toBe(true);
          const st = heap.stats;
          expect(st.liveBlocks).toBe(live.length);
          expect(st.liveBytes + st.freeBytes + 16).toBe(st.memoryBytes);
        }
        for (const b of live) heap.free(b.ptr);
        // Everything coalesces back: one block can take all of it.
        const all = heap.stats.memoryBytes - 16;
        const before = heap.buffer;
        expect(heap.alloc(all)).toBe(16);
        expect(heap.buffer).toBe(before);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects double frees and unknown pointers', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }));
    const p = heap.alloc(10);
    heap.free(p);
    expect(() => heap.free(p)).toThrow(RangeError);
    expect(() => heap.free(12345)).toThrow(RangeError);
  });

  it('reports a memory that cannot grow', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 2 }));
    expect(() => heap.alloc(3 * 65536)).toThrow(/cannot grow/);
    // Still usable afterwards.
    expect(heap.alloc(1000)).toBeGreaterThan(0);
  });

  it('serves HeapArray and VectorStore: views re-derive after growth, rows survive', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }));
    const arr = new HeapArray(Float32Array, heap, 10);
    arr.view.set([1, 2, 3]);
    const store = new VectorStore(5, heap, 1);
    for (let i = 0; i < 5000; i++) store.append(Float32Array.from({ length: 5 }, (_, j) => i * 10 + j));
    expect(heap.stats.memoryBytes).toBeGreaterThan(65536);
    expect(Array.from(arr.view.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(arr.view.buffer).toBe(heap.buffer);
    const row = new Float32Array(5);
    for (const i of [0, 1, 2499, 4999]) expect(Array.from(store.read(i, row))).toEqual([0, 1, 2, 3, 4].map((j) => i * 10 + j));
    expect(store.data.buffer).toBe(heap.memory.buffer);
  });
});

describe('WasmHeap under churn', () => {
  it('100k operations of the pattern indexes make (arrays grown by 1.5×, scratch blocks, whole indexes dropped) stay ≤ 2 × peak live + the initial memory', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 16 }));
    const initial = heap.stats.memoryBytes;
    const rng = new Rng(7);
    const random = () => rng.float();
    // Each "index" owns a few growable arrays (rows, ids, links) and a query block; indexes come and go.
    type Owner = { arrays: HeapArray<Float32Array>[]; scratch: number };
    const owners: Owner[] = [];
    let peakLive = 0;
    for (let op = 0; op < 100_000; op++) {
      const r = random();
      if (owners.length === 0 || (r < 0.02 && owners.length < 40)) {
        const arrays = Array.from({ length: 1 + Math.floor(random() * 3) }, () => new HeapArray(Float32Array, heap, 16 + Math.floor(random() * 256)));
        owners.push({ arrays, scratch: heap.alloc(64 + Math.floor(random() * 1024)) });
      } else if (r < 0.04) {
        const [gone] = owners.splice(Math.floor(random() * owners.length), 1);
        for (const a of gone!.arrays) a.free();
        heap.free(gone!.scratch);
      } else {
        // Growth: the storages' reserve() (1.5×, at most a few MB per array here).
        const owner = owners[Math.floor(random() * owners.length)]!;
        const array = owner.arrays[Math.floor(random() * owner.arrays.length)]!;
        if (array.length < 200_000) array.resize(Math.ceil(array.length * 1.5));
        else array.resize(16);
      }
      if ((op & 15) === 0) peakLive = Math.max(peakLive, heap.stats.liveBytes);
    }
    const { memoryBytes, liveBytes } = heap.stats;
    peakLive = Math.max(peakLive, liveBytes);
    expect(memoryBytes).toBeLessThanOrEqual(2 * peakLive + initial);
    for (const o of owners) {
      for (const a of o.arrays) a.free();
      heap.free(o.scratch);
    }
    // Every block back, all coalesced into one free run.
    expect(heap.stats.liveBytes).toBe(0);
    expect(heap.alloc(memoryBytes - 16)).toBe(16);
  });
});
