import { AnnkitError } from './errors.js';
import type { Heap } from './heap.js';
import type { Kernels } from './kernels.js';

/**
 * A view of a shared heap that remembers the blocks one owner took, so they can all be given back at once:
 * when the owner is freed explicitly, or when it is garbage-collected (FinalizationRegistry).
 */
export class OwnedHeap implements Heap {
  private readonly parent: Heap;
  /** Live blocks: pointer → bytes asked for. */
  private readonly live = new Map<number, number>();
  private bytes = 0;

  constructor(parent: Heap) {
    this.parent = parent;
  }

  get buffer(): ArrayBuffer {
    return this.parent.buffer;
  }

  /** Blocks taken and not yet given back. */
  get liveBlocks(): number {
    return this.live.size;
  }

  /** Bytes of the blocks taken and not yet given back (what this owner holds in the shared heap). */
  get liveBytes(): number {
    return this.bytes;
  }

  alloc(bytes: number): number {
    const ptr = this.parent.alloc(bytes);
    this.live.set(ptr, bytes);
    this.bytes += bytes;
    return ptr;
  }

  free(ptr: number): void {
    const bytes = this.live.get(ptr);
    // A block freed after releaseAll() was already given back with the rest.
    if (bytes === undefined) return;
    this.live.delete(ptr);
    this.bytes -= bytes;
    this.parent.free(ptr);
  }

  /** Gives every live block back to the shared heap. */
  releaseAll(): void {
    for (const ptr of this.live.keys()) this.parent.free(ptr);
    this.live.clear();
    this.bytes = 0;
  }
}

// Held values never reference their index, so registering does not keep it alive.
const finalizer: FinalizationRegistry<OwnedHeap> | null =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<OwnedHeap>((heap) => heap.releaseAll()) : null;

/**
 * The memory an index owns, and whether it is still usable. An index takes its kernel-heap blocks through
 * `kernels` (the caller's kernels over an OwnedHeap), so free() — or the garbage collector, for an index
 * the user forgot — returns all of them. WebAssembly memory never shrinks: returned blocks are reused by
 * later allocations, so a long-running process plateaus at its peak instead of growing.
 */
export class IndexLifetime {
  /** The caller's kernels, allocating from this index's own view of their heap. */
  readonly kernels: Kernels;
  private readonly owned: OwnedHeap | null;
  private freed = false;

  constructor(owner: object, kernels: Kernels) {
    if (kernels.heap === null) {
      this.owned = null;
      this.kernels = kernels;
    } else {
      this.owned = new OwnedHeap(kernels.heap);
      this.kernels = Object.freeze({ ...kernels, heap: this.owned });
      finalizer?.register(owner, this.owned, this);
    }
  }

  get isFreed(): boolean {
    return this.freed;
  }

  /** Throws INVALID_STATE once the index has been freed. */
  assertLive(kind: string): void {
    if (this.freed) throw new AnnkitError('INVALID_STATE', `This ${kind} index has been freed (free() or a using block ended); create or load a new one.`);
  }

  /** Gives the memory back; returns false when it was already given back (freeing twice is harmless). */
  free(): boolean {
    if (this.freed) return false;
    this.freed = true;
    if (this.owned !== null) {
      finalizer?.unregister(this);
      this.owned.releaseAll();
    }
    return true;
  }
}
