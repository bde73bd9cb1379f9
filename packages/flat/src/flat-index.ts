import { AnnkitError, Float32Storage, initialCapacityFor, toBytes } from '@annkit/core';
import type { BaseIndexOptions, BytesInput, LoadOptions, SearchOptions } from '@annkit/core';
import type { FlatCodesLayout } from './flat-codes-file.js';
import { FlatCodesIndex } from './flat-codes-index.js';
import type { StorageMaker } from './flat-codes-options.js';
import { FLAT_LAYOUT, decodeFlat } from './flat-format.js';

export interface FlatIndexOptions extends BaseIndexOptions {
  /** Rows to reserve up front (the store grows as needed). */
  initialCapacity?: number;
}

export type FlatLoadOptions = LoadOptions;

const floatRows: StorageMaker<Float32Storage> = (dim, metric, kernels, initialCapacity) => new Float32Storage(dim, metric, kernels, { initialCapacity });

/**
 * Exact k-nearest-neighbour search by scanning every row with the distance kernels: a FlatCodesIndex over
 * float32 rows. The reference every approximate index is tested against; also the right choice below ~50k
 * vectors.
 */
export class FlatIndex extends FlatCodesIndex<SearchOptions, Float32Storage> {
  override readonly kind = 'flat';

  constructor(options: FlatIndexOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'FlatIndex takes an options object { dim, metric }.');
    super({ dim: options.dim, metric: options.metric, kernels: options.kernels, initialCapacity: options.initialCapacity, storage: floatRows });
  }

  protected override fileLayout(): FlatCodesLayout {
    return FLAT_LAYOUT;
  }

  protected override fileParams(): Record<string, unknown> {
    return { format: FLAT_LAYOUT.format, count: this.size };
  }

  static override deserialize(bytes: BytesInput, options?: FlatLoadOptions): FlatIndex {
    const file = decodeFlat(toBytes(bytes));
    const index = new FlatIndex({ dim: file.dim, metric: file.metric, kernels: options?.kernels, initialCapacity: initialCapacityFor(file.count, file.dim) });
    return index.restore(file.payload, true);
  }
}
