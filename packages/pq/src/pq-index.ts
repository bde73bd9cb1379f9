import { AnnkitError, CodeStorage, initialCapacityFor, toBytes } from '@annkit/core';
import type { BaseIndexOptions, BytesInput, LoadOptions } from '@annkit/core';
import { FlatCodesIndex } from '@annkit/flat';
import type { FlatCodesLayout, FlatCodesSearchOptions, StorageMaker } from '@annkit/flat';
import { PqCodec } from './pq-codec.js';
import { PQ_LAYOUT, decodePq, pqParams } from './pq-format.js';

export interface PqIndexOptions extends BaseIndexOptions {
  /** Sub-quantizers (must divide dim); codes are m bytes (nbits 8) or ceil(m/2) bytes (nbits 4). */
  m: number;
  /** 8 (default) or 4. */
  nbits?: 4 | 8;
  /** Keep the raw float vectors as well, for exact `rerank` (costs 4 × dim bytes per vector). Default false. */
  keepVectors?: boolean;
  /** Re-rank factor used when a search passes no `rerank` (needs keepVectors; saved with the index). Default 0: none. */
  rerank?: number;
  /** k-means iterations per codebook (default 25). */
  niter?: number;
  /** k-means subsampling cap per centroid (default 256). */
  maxPointsPerCentroid?: number;
  initialCapacity?: number;
}

/** `rerank`: re-rank k × rerank code-ranked candidates by exact distance to the raw vectors (needs keepVectors). */
export type PqSearchOptions = FlatCodesSearchOptions;

function pqRows({ m, nbits, niter, seed, maxPointsPerCentroid }: PqIndexOptions): StorageMaker<CodeStorage> {
  return (dim, metric, kernels, capacity) => new CodeStorage(new PqCodec({ dim, m, nbits, niter, seed, maxPointsPerCentroid, kernels }), metric, kernels, capacity);
}

/**
 * Flat scan over product-quantized codes with ADC: a FlatCodesIndex whose rows are PQ codes. One lookup
 * table per query, m lookups per vector, optionally re-ranking the best k × rerank candidates exactly from
 * kept raw vectors. Train the codebooks first. Distances returned without rerank are the approximate ADC
 * distances.
 */
export class PqIndex extends FlatCodesIndex<PqSearchOptions, CodeStorage> {
  override readonly kind = 'pq';

  constructor(options: PqIndexOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'PqIndex takes an options object { dim, metric, m, nbits }.');
    super({ ...options, storage: pqRows(options) });
  }

  /** The quantizer (replaced by train()). */
  get codec(): PqCodec {
    return this.storage.codec as PqCodec;
  }

  get m(): number {
    return this.codec.m;
  }

  get nbits(): 4 | 8 {
    return this.codec.nbits;
  }

  /** Notes from the last training (e.g. fewer samples than 2^nbits). */
  get trainWarnings(): string[] {
    return this.codec.trainWarnings;
  }

  protected override fileLayout(): FlatCodesLayout {
    return PQ_LAYOUT;
  }

  protected override fileParams(): Record<string, unknown> {
    return pqParams(this.size, this.codec, { keepVectors: this.keepVectors, trained: this.isTrained, rerank: this.rerank });
  }

  static override deserialize(bytes: BytesInput, options?: LoadOptions): PqIndex {
    const f = decodePq(toBytes(bytes));
    const { dim, metric, m, nbits, niter, seed, maxPointsPerCentroid, keepVectors, rerank } = f;
    const index = new PqIndex({ dim, metric, m, nbits, niter, seed, maxPointsPerCentroid, keepVectors, rerank, kernels: options?.kernels, initialCapacity: initialCapacityFor(f.count, dim) });
    return index.restore(f.payload, f.trained);
  }
}
