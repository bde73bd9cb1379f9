import { jsKernels } from '@annkit/core';
import { describe, expect, it } from 'vitest';
import { createWasmKernels, wasmSupport } from '../src/index.js';
import type { WasmKernels } from '../src/index.js';

// Witness inputs where float32 (WASM) and float64 (TS) sums differ: 1e8 + 1 - 1e8 is 0 in float32 and 1 in
// float64. They show which implementation ran, so in-place, copied and fallback paths can be told apart.
const WITNESS = [1e8, 1, -1e8];
const ONES = [1, 1, 1];

function inHeap(k: WasmKernels, values: number[], pad = 0): Float32Array {
  const v = new Float32Array(k.heap.buffer, k.heap.alloc((values.length + pad) * 4), values.length + pad);
  v.set(values);
  return v;
}

describe.runIf(wasmSupport().simd)('WASM kernel wiring', () => {
  it('runs WASM for arguments in the heap (in place) and outside it (copied through scratch)', () => {
    const k = createWasmKernels();
    const a = inHeap(k, WITNESS);
    const b = inHeap(k, ONES);
    expect(jsKernels.dot(Float32Array.from(WITNESS), 0, Float32Array.from(ONES), 0, 3)).toBe(1);
    expect(k.dot(a, 0, b, 0, 3)).toBe(0);
    expect(k.dot(Float32Array.from(WITNESS), 0, Float32Array.from(ONES), 0, 3)).toBe(0);
    const out = new Float32Array(2);
    k.dotMany(a, 0, new Float32Array([1, 1, 1, 0, 1, 1, 1, 0]), 0, 4, 2, 3, out);
    expect(Array.from(out)).toEqual([0, 0]);
    k.dotGather(Float32Array.from(WITNESS), 0, new Float32Array([9, 9, 9, 0, 1, 1, 1, 0]), 4, new Int32Array([1, 1]), 2, 3, out);
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it('falls back to the TS kernel when an out-of-heap argument exceeds the scratch, and never grows memory in a call', () => {
    const k = createWasmKernels({ scratchBytes: 4096 });
    const n = 2000;
    const rows = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) rows.set([1, 1, 1], i * 4);
    const q = Float32Array.from(WITNESS);
    const out = new Float32Array(n);
    const before = k.memory.buffer;
    k.dotMany(q, 0, rows, 0, 4, n, 3, out); // 32 KB of rows: too big for a 4 KB scratch
    expect(out[0]).toBe(1);
    expect(out[n - 1]).toBe(1);
    expect(k.memory.buffer).toBe(before);
    // The same rows in the heap are read in place: WASM again, and still no growth inside the call.
    const rowsPtr = k.heap.alloc(rows.byteLength);
    const outPtr = k.heap.alloc(n * 4);
    const heapQ = inHeap(k, WITNESS);
    new Float32Array(k.heap.buffer, rowsPtr, rows.length).set(rows);
    const grown = k.memory.buffer;
    k.dotMany(heapQ, 0, new Float32Array(grown, rowsPtr, rows.length), 0, 4, n, 3, new Float32Array(grown, outPtr, n));
    expect(new Float32Array(grown, outPtr, n)[n - 1]).toBe(0);
    expect(k.memory.buffer).toBe(grown);
  });

  it('wires the code kernels to WASM', () => {
    const k = createWasmKernels();
    const out = new Float32Array(1);
    // SQ with scale 0, offset 1 decodes every code to 1: the dot is the witness sum.
    k.sq8DotMany(Float32Array.from(WITNESS), 0, new Uint8Array(3), 0, 3, 1, new Float32Array(3), new Float32Array([1, 1, 1]), 3, out);
    expect(out[0]).toBe(0);
    jsKernels.sq8DotMany(Float32Array.from(WITNESS), 0, new Uint8Array(3), 0, 3, 1, new Float32Array(3), new Float32Array([1, 1, 1]), 3, out);
    expect(out[0]).toBe(1);
    const table = new Float32Array(3 * 256);
    table[0] = 1e8;
    table[256] = 1;
    table[512] = -1e8;
    k.pqScanBlock(table, new Uint8Array(3), 0, 3, 1, out);
    expect(out[0]).toBe(0);
    expect(k.hamming(new Uint8Array([255, 1]), 0, new Uint8Array([0, 0]), 0, 2)).toBe(9);
  });

  it('keeps its scratch and its arguments apart from caller data in the heap', () => {
    const k = createWasmKernels();
    const guard = inHeap(k, [7, 7, 7, 7]);
    k.l2Many(new Float32Array(8).fill(1), 0, new Float32Array(64).fill(2), 0, 8, 8, 8, new Float32Array(8));
    expect(Array.from(new Float32Array(k.heap.buffer, guard.byteOffset, 4))).toEqual([7, 7, 7, 7]);
  });
});
