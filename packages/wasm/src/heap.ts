import type { Heap } from '@annkit/core';

const PAGE = 65536;
// Address 0 is never handed out, so kernels can read 0 as "no pointer".
const BASE = 16;

function align16(n: number): number {
  return Math.ceil(Math.max(1, n) / 16) * 16;
}

export interface HeapStats {
  liveBlocks: number;
  liveBytes: number;
  freeBytes: number;
  memoryBytes: number;
}

/**
 * First-fit allocator over a WebAssembly.Memory. Blocks never move: growth appends pages at the top
 * (which replaces `buffer`, so holders re-derive views), and frees coalesce with their neighbours.
 * Allocation is rare (row storage grows geometrically), so a sorted free list is enough.
 */
export class WasmHeap implements Heap {
  readonly memory: WebAssembly.Memory;
  private buf: ArrayBuffer;
  // Free blocks sorted by address, never adjacent (they are merged).
  private readonly freeStart: number[] = [];
  private readonly freeSize: number[] = [];
  private readonly live = new Map<number, number>();
  private liveBytes = 0;

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
    this.buf = memory.buffer;
    if (this.buf.byteLength > BASE) {
      this.freeStart.push(BASE);
      this.freeSize.push(this.buf.byteLength - BASE);
    }
  }

  /** The current buffer. A growth detaches the old one (byteLength 0), which is cheaper to test than reading memory.buffer. */
  get buffer(): ArrayBuffer {
    const b = this.buf;
    if (b.byteLength !== 0) return b;
    return (this.buf = this.memory.buffer);
  }

  alloc(bytes: number): number {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`WasmHeap.alloc: expected a byte count >= 0, got ${bytes}.`);
    const size = align16(bytes);
    let i = this.findFit(size);
    if (i < 0) {
      this.grow(size);
      i = this.findFit(size);
    }
    const ptr = this.freeStart[i]!;
    if (this.freeSize[i] === size) {
      this.freeStart.splice(i, 1);
      this.freeSize.splice(i, 1);
    } else {
      this.freeStart[i] = ptr + size;
      this.freeSize[i] = this.freeSize[i]! - size;
    }
    this.live.set(ptr, size);
    this.liveBytes += size;
    return ptr;
  }

  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new RangeError(`WasmHeap.free: ${ptr} is not a live block (double free?).`);
    this.live.delete(ptr);
    this.liveBytes -= size;
    this.insertFree(ptr, size);
  }

  /** Size of a live block (rounded up to 16), or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  get stats(): HeapStats {
    let free = 0;
    for (const s of this.freeSize) free += s;
    return { liveBlocks: this.live.size, liveBytes: this.liveBytes, freeBytes: free, memoryBytes: this.buffer.byteLength };
  }

  private findFit(size: number): number {
    const sizes = this.freeSize;
    for (let i = 0; i < sizes.length; i++) if (sizes[i]! >= size) return i;
    return -1;
  }

  private insertFree(ptr: number, size: number): void {
    const starts = this.freeStart;
    const sizes = this.freeSize;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < ptr) lo = mid + 1;
      else hi = mid;
    }
    const prev = lo - 1;
    const joinsPrev = prev >= 0 && starts[prev]! + sizes[prev]! === ptr;
    const joinsNext = lo < starts.length && ptr + size === starts[lo]!;
    if (joinsPrev && joinsNext) {
      sizes[prev] = sizes[prev]! + size + sizes[lo]!;
      starts.splice(lo, 1);
      sizes.splice(lo, 1);
    } else if (joinsPrev) {
      sizes[prev] = sizes[prev]! + size;
    } else if (joinsNext) {
      starts[lo] = ptr;
      sizes[lo] = sizes[lo]! + size;
    } else {
      starts.splice(lo, 0, ptr);
      sizes.splice(lo, 0, size);
    }
  }

  /** Appends pages so that a block of `size` fits at the top (reusing a free block that ends there). */
  private grow(size: number): void {
    const top = this.memory.buffer.byteLength;
    const n = this.freeStart.length;
    const tailFree = n > 0 && this.freeStart[n - 1]! + this.freeSize[n - 1]! === top ? this.freeSize[n - 1]! : 0;
    const needPages = Math.ceil((size - tailFree) / PAGE);
    // Grow by at least a quarter of the memory so a growing store does not grow the memory at every step.
    const wantPages = Math.max(needPages, Math.ceil(top / PAGE / 4));
    try {
      this.memory.grow(wantPages);
    } catch {
      try {
        this.memory.grow(needPages);
      } catch (e) {
        throw new RangeError(`WebAssembly memory cannot grow from ${top} bytes by ${needPages * PAGE} bytes (${(e as Error).message}).`);
      }
    }
    this.buf = this.memory.buffer;
    this.insertFree(top, this.buf.byteLength - top);
  }
}
