/**
 * Where typed arrays live. The TS kernels read any ArrayBuffer, so JS-backed arrays get their own;
 * the WASM kernels read only their module's memory, so they provide a Heap and arrays are carved from it.
 */
export interface Heap {
  /** The current backing buffer. It is replaced when the memory grows: never cache views across alloc(). */
  readonly buffer: ArrayBuffer;
  /** Allocates `bytes` (16-byte aligned) and returns the byte offset. May grow (and replace) `buffer`. */
  alloc(bytes: number): number;
  /** Returns a block obtained from alloc(). */
  free(ptr: number): void;
}

export type TypedArrayConstructor<T> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/** The typed arrays a HeapArray can hold. */
export type HeapTypedArray = Float32Array | Int32Array | Uint32Array | Uint8Array | Uint16Array | Float64Array;

/**
 * A resizable typed array that lives either in its own ArrayBuffer or in a Heap.
 * `view` re-derives itself when the heap's buffer was replaced by a growth, so holders
 * must read `view` again after anything that may allocate.
 */
export class HeapArray<T extends HeapTypedArray> {
  private readonly ctor: TypedArrayConstructor<T>;
  private readonly heap: Heap | null;
  private ptr = 0;
  private cached: T;
  private len: number;

  constructor(ctor: TypedArrayConstructor<T>, heap: Heap | null, length: number) {
    this.ctor = ctor;
    this.heap = heap;
    this.len = length;
    if (heap) {
      this.ptr = heap.alloc(Math.max(16, length * ctor.BYTES_PER_ELEMENT));
      this.cached = new ctor(heap.buffer, this.ptr, length);
      this.cached.fill(0);
    } else {
      this.cached = new ctor(length);
    }
  }

  get length(): number {
    return this.len;
  }

  get inHeap(): boolean {
    return this.heap !== null;
  }

  /** The current view; cheap (one identity check). */
  get view(): T {
    const heap = this.heap;
    if (heap !== null && this.cached.buffer !== heap.buffer) {
      this.cached = new this.ctor(heap.buffer, this.ptr, this.len);
    }
    return this.cached;
  }

  /** Reallocates to `length` elements, keeping the first min(old, new) values; new space is zeroed. */
  resize(length: number): void {
    if (length === this.len) return;
    const keep = Math.min(length, this.len);
    const heap = this.heap;
    if (heap) {
      const newPtr = heap.alloc(Math.max(16, length * this.ctor.BYTES_PER_ELEMENT));
      const oldView = new this.ctor(heap.buffer, this.ptr, this.len);
      const next = new this.ctor(heap.buffer, newPtr, length);
      next.set(oldView.subarray(0, keep) as never);
      next.fill(0, keep);
      heap.free(this.ptr);
      this.ptr = newPtr;
      this.cached = next;
    } else {
      const next = new this.ctor(length);
      next.set(this.cached.subarray(0, keep) as never);
      this.cached = next;
    }
    this.len = length;
  }

  /** Releases heap memory; the array must not be used afterwards. */
  free(): void {
    if (this.heap && this.len >= 0) {
      this.heap.free(this.ptr);
      this.len = 0;
      this.cached = new this.ctor(0);
    }
  }
}
