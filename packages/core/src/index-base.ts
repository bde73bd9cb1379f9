import { CallbackGuard } from './callback-guard.js';
import type { IdMap } from './id-map.js';
import { IndexLifetime } from './lifetime.js';
import type { Kernels, KernelBackend } from './kernels.js';
import type { Metric } from './metric.js';
import { ProgressTracker } from './progress.js';
import type { LongTaskOptions } from './progress.js';
import type { SearchOptions, SearchResult, VectorIndex, VectorInput } from './types.js';
import { assertBatch, assertIdBatch } from './validate.js';

/**
 * What every index family shares beyond its structure: the memory it owns (free(), `using`, and the
 * garbage collector for an index that is dropped), the kernel backend it reports, and the batch forms of
 * upsert and remove. A family extends this, passes its resolved kernels to super(), allocates through
 * `this.kernels` (whose heap is the index's own view), and calls `this.live()` first in each public method.
 *
 * Re-entrancy: while one of the index's own user callbacks runs (a search `filter`, an `onProgress`), the
 * methods that change the index or reuse its search scratch — add/addBatch/upsert/upsertBatch/remove/
 * removeBatch/train/build/rebuild/compact/search/searchBatch/serialize/free — throw INVALID_STATE and leave
 * it intact; has(), ids(), getVector() and size stay allowed (see CallbackGuard).
 */
export abstract class IndexBase<S extends SearchOptions = SearchOptions> implements VectorIndex<S> {
  abstract readonly kind: string;
  readonly dim: number;
  readonly metric: Metric;
  /** The kernels this index computes with; their heap is this index's own view of the shared memory. */
  readonly kernels: Kernels;
  private readonly lifetime: IndexLifetime;
  private readonly callbackGuard = new CallbackGuard();

  protected constructor(dim: number, metric: Metric, kernels: Kernels) {
    this.dim = dim;
    this.metric = metric;
    this.lifetime = new IndexLifetime(this, kernels);
    this.kernels = this.lifetime.kernels;
    // `kind` is a subclass field, set after this constructor: read it only when an error is reported.
    this.callbackGuard.install(this, () => this.kind);
  }

  get backend(): KernelBackend {
    return this.kernels.backend;
  }

  /** Whether free() has run. */
  get isFreed(): boolean {
    return this.lifetime.isFreed;
  }

  /** Throws INVALID_STATE once the index has been freed. */
  protected live(): void {
    this.lifetime.assertLive(this.kind);
  }

  /** Every family keeps the user's ids in dense slots through an IdMap. */
  protected abstract readonly idMap: IdMap;

  has(id: number): boolean {
    this.live();
    return this.idMap.has(id);
  }

  /** The stored ids, in no particular order (do not change the index while iterating). */
  ids(): IterableIterator<number> {
    this.live();
    return this.idMap.keys();
  }

  abstract get size(): number;
  abstract add(id: number, vector: VectorInput): void;
  abstract addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void;
  abstract upsert(id: number, vector: VectorInput): void;
  abstract remove(id: number): boolean;
  abstract getVector(id: number): Float32Array;
  abstract search(query: VectorInput, k: number, opts?: S): SearchResult;
  abstract searchBatch(queries: Float32Array, k: number, opts?: S): SearchResult[];
  abstract serialize(opts?: LongTaskOptions): Uint8Array;

  upsertBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    const progress = new ProgressTracker(opts, 'add', n);
    for (let i = 0; i < n; i++) {
      this.upsert(ids[i]!, vectors.subarray(i * this.dim, (i + 1) * this.dim));
      progress.tick();
    }
    progress.finish();
  }

  removeBatch(ids: ArrayLike<number>): number {
    this.live();
    const n = assertIdBatch(ids);
    let removed = 0;
    for (let i = 0; i < n; i++) if (this.remove(ids[i]!)) removed++;
    return removed;
  }

  /** Gives back the kernel-heap memory this index holds; later calls throw INVALID_STATE. Idempotent. */
  free(): void {
    this.lifetime.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }
}
