import { Rng, jsKernels } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import fc from 'fast-check';
import { createWasmKernels, wasmSupport } from '../src/index.js';
import type { WasmKernels } from '../src/index.js';

/**
 * Agreement rule between a backend and the TS kernels: |a - b| <= 1e-5 * scale + 1e-30, where `scale` is the
 * sum of the magnitudes of the terms (float32 accumulation error is bounded relative to it, not to the result,
 * which may cancel to near zero). The 1e-30 absorbs float32 underflow of products of tiny values.
 */
export const REL = 1e-5;
export function close(a: number, b: number, scale: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= REL * scale + 1e-30;
}

/**
 * Value ranges. "extreme" mixes ±1e17 (the largest magnitude whose squared differences summed over 1100
 * dimensions, (2e17)² · 1100 ≈ 4.4e37, stay below float32's 3.4e38), float32 subnormals, ±0 and ordinary values.
 * Beyond that range float32 kernels overflow to Infinity where the TS kernels (float64 sums) do not: not a bug.
 */
export type ValueMode = 'unit' | 'wide' | 'extreme';
export const valueMode = fc.constantFrom<ValueMode>('unit', 'wide', 'extreme');

export function fill(arr: Float32Array, seed: number, mode: ValueMode): Float32Array {
  const rng = new Rng(seed);
  for (let i = 0; i < arr.length; i++) {
    const u = rng.float() * 2 - 1;
    if (mode === 'unit') arr[i] = u;
    else if (mode === 'wide') arr[i] = Math.sign(u) * 10 ** (rng.float() * 20 - 10);
    else {
      const r = rng.int(8);
      arr[i] = r === 0 ? 1e17 * Math.sign(u) : r === 1 ? 1e-40 * Math.sign(u) : r === 2 ? (u < 0 ? -0 : 0) : r === 3 ? u * 1e6 : u;
    }
  }
  return arr;
}

export function fillBytes(arr: Uint8Array, seed: number): Uint8Array {
  const rng = new Rng(seed);
  for (let i = 0; i < arr.length; i++) arr[i] = rng.int(256);
  return arr;
}

/** Σ (|a_i| + |b_i|)² — the error scale of a squared l2. */
export function l2Scale(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += (Math.abs(a[ao + i]!) + Math.abs(b[bo + i]!)) ** 2;
  return s;
}

/** Σ |a_i b_i| — the error scale of a dot product. */
export function dotScale(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += Math.abs(a[ao + i]! * b[bo + i]!);
  return s;
}

let wasm: WasmKernels | null | undefined;

/** One WASM instance for the test file (own memory), or null where SIMD is unavailable. */
export function wasmKernels(): WasmKernels | null {
  if (wasm === undefined) wasm = wasmSupport().simd ? createWasmKernels() : null;
  return wasm;
}

/** Every backend available here, the TS kernels included. */
export function backends(): Kernels[] {
  const w = wasmKernels();
  return w ? [jsKernels, w] : [jsKernels];
}

/**
 * Where test arrays live: 'js' (own ArrayBuffer, copied through scratch) or 'heap' (in WebAssembly memory,
 * read in place). An allocation may grow the memory and detach earlier views, so `add` returns a getter
 * that re-derives the view; call the getters after the last `add`.
 */
export type Placement = 'js' | 'heap';
export const placement = fc.constantFrom<Placement>('js', 'heap');

type Typed = Float32Array | Uint8Array | Int32Array;
type Ctor<T> = { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number };

export class Placer {
  private readonly ptrs: number[] = [];
  constructor(
    private readonly k: Kernels,
    private readonly where: Placement,
  ) {}

  add<T extends Typed>(src: T): () => T {
    const heap = this.k.heap;
    if (this.where === 'js' || heap === null) return () => src;
    const ctor = src.constructor as Ctor<T>;
    const ptr = heap.alloc(src.length * ctor.BYTES_PER_ELEMENT);
    this.ptrs.push(ptr);
    new ctor(heap.buffer, ptr, src.length).set(src as never);
    return () => new ctor(heap.buffer, ptr, src.length);
  }

  release(): void {
    for (const p of this.ptrs) this.k.heap?.free(p);
    this.ptrs.length = 0;
  }
}

export const RUNS = Number(process.env.KERNEL_RUNS ?? 60);
