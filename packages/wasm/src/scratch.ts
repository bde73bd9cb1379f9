import type { WasmHeap } from './heap.js';

/**
 * Places kernel arguments in WebAssembly memory. An array that already lives in the heap is passed
 * in place (its byte address); any other array is copied into a scratch region reserved once, at load.
 * Nothing here allocates heap memory, so a kernel call never grows (and never detaches) the memory:
 * when an argument does not fit, the methods return -1 and the caller uses the TS kernel for that call.
 */
export class Scratch {
  private readonly heap: WasmHeap;
  private readonly start: number;
  private readonly end: number;
  private top = 0;
  private buf: ArrayBuffer;
  private f32v: Float32Array;
  private i32v: Int32Array;
  private u8v: Uint8Array;
  // Where the last few arrays start in the heap (-1: outside it). Reading .buffer and .byteOffset costs
  // ~25 ns per array in V8, which would dominate a pair call; an identity hit costs nothing. A typed
  // array's buffer never changes, so entries stay true until the memory grows (reset() clears them then).
  private k0: object | null = null;
  private k1: object | null = null;
  private k2: object | null = null;
  private k3: object | null = null;
  private k4: object | null = null;
  private k5: object | null = null;
  private k6: object | null = null;
  private k7: object | null = null;
  private b4 = -1;
  private b5 = -1;
  private b6 = -1;
  private b7 = -1;
  private b0 = -1;
  private b1 = -1;
  private b2 = -1;
  private b3 = -1;
  private victim = 0;

  constructor(heap: WasmHeap, bytes: number) {
    this.heap = heap;
    this.start = heap.alloc(bytes);
    this.end = this.start + bytes;
    this.buf = heap.buffer;
    this.f32v = new Float32Array(this.buf);
    this.i32v = new Int32Array(this.buf);
    this.u8v = new Uint8Array(this.buf);
  }

  get bytes(): number {
    return this.end - this.start;
  }

  /** Starts a call: empties the scratch and refreshes the views if the memory grew since the last call. */
  reset(): void {
    this.top = this.start;
    const b = this.heap.buffer;
    if (b !== this.buf) {
      this.buf = b;
      this.k0 = this.k1 = this.k2 = this.k3 = this.k4 = this.k5 = this.k6 = this.k7 = null;
      this.f32v = new Float32Array(b);
      this.i32v = new Int32Array(b);
      this.u8v = new Uint8Array(b);
    }
  }

  /** Byte address of arr[0] when arr lives in the heap, else -1. */
  private base(arr: Float32Array | Int32Array | Uint8Array): number {
    if (arr === this.k0) return this.b0;
    if (arr === this.k1) return this.b1;
    if (arr === this.k2) return this.b2;
    if (arr === this.k3) return this.b3;
    if (arr === this.k4) return this.b4;
    if (arr === this.k5) return this.b5;
    if (arr === this.k6) return this.b6;
    if (arr === this.k7) return this.b7;
    const b = arr.buffer === this.buf ? arr.byteOffset : -1;
    switch (this.victim) {
      case 0:
        this.k0 = arr;
        this.b0 = b;
        break;
      case 1:
        this.k1 = arr;
        this.b1 = b;
        break;
      case 2:
        this.k2 = arr;
        this.b2 = b;
        break;
      case 3:
        this.k3 = arr;
        this.b3 = b;
        break;
      case 4:
        this.k4 = arr;
        this.b4 = b;
        break;
      case 5:
        this.k5 = arr;
        this.b5 = b;
        break;
      case 6:
        this.k6 = arr;
        this.b6 = b;
        break;
      default:
        this.k7 = arr;
        this.b7 = b;
    }
    this.victim = (this.victim + 1) & 7;
    return b;
  }

  private take(bytes: number): number {
    const p = this.top;
    const next = p + Math.ceil(bytes / 16) * 16;
    if (next > this.end) return -1;
    this.top = next;
    return p;
  }

  /** Address of arr[off .. off+len) for reading. */
  f32(arr: Float32Array, off: number, len: number): number {
    if (off < 0 || off + len > arr.length) return -1;
    const b = this.base(arr);
    if (b >= 0) return b + off * 4;
    const p = this.take(len * 4);
    if (p < 0) return -1;
    const v = this.f32v;
    const o = p >>> 2;
    // Short copies by hand (no subarray object); long ones through set (a memcpy).
    if (len < 64) for (let i = 0; i < len; i++) v[o + i] = arr[off + i]!;
    else v.set(arr.subarray(off, off + len), o);
    return p;
  }

  u8(arr: Uint8Array, off: number, len: number): number {
    if (off < 0 || off + len > arr.length) return -1;
    const b = this.base(arr);
    if (b >= 0) return b + off;
    const p = this.take(len);
    if (p < 0) return -1;
    const v = this.u8v;
    if (len < 64) for (let i = 0; i < len; i++) v[p + i] = arr[off + i]!;
    else v.set(arr.subarray(off, off + len), p);
    return p;
  }

  i32(arr: Int32Array, off: number, len: number): number {
    if (off < 0 || off + len > arr.length) return -1;
    const b = this.base(arr);
    if (b >= 0) return b + off * 4;
    const p = this.take(len * 4);
    if (p < 0) return -1;
    const v = this.i32v;
    const o = p >>> 2;
    if (len < 64) for (let i = 0; i < len; i++) v[o + i] = arr[off + i]!;
    else v.set(arr.subarray(off, off + len), o);
    return p;
  }

  /** Address where a kernel writes `len` results for arr[0 .. len): in place, or scratch to copy back with `back`. */
  out(arr: Float32Array | Int32Array, len: number): number {
    if (len > arr.length) return -1;
    const b = this.base(arr);
    return b >= 0 ? b : this.take(len * 4);
  }

  /** Address of `floats` floats of working space for the kernel (its contents are the kernel's), or -1. */
  work(floats: number): number {
    return this.take(floats * 4);
  }

  /** Copies results written at `p` into arr when arr is outside the heap. */
  backF32(arr: Float32Array, p: number, len: number): void {
    if (this.base(arr) >= 0) return;
    const v = this.f32v;
    const o = p >>> 2;
    for (let i = 0; i < len; i++) arr[i] = v[o + i]!;
  }

  backI32(arr: Int32Array, p: number, len: number): void {
    if (this.base(arr) >= 0) return;
    const v = this.i32v;
    const o = p >>> 2;
    for (let i = 0; i < len; i++) arr[i] = v[o + i]!;
  }
}
