import { AnnkitError, CodeStorage, initialCapacityFor, toBytes, optionOr } from '@annkit/core';
import type { BaseIndexOptions, BytesInput, LoadOptions } from '@annkit/core';
import { FlatCodesIndex } from '@annkit/flat';
import type { FlatCodesLayout, FlatCodesSearchOptions, StorageMaker } from '@annkit/flat';
import { SQ_TYPES, SqCodec } from './sq-codec.js';
import type { SqType } from './sq-codec.js';
import { SQ_LAYOUT, decodeSq, sqParams } from './sq-format.js';

export interface SqIndexOptions extends BaseIndexOptions {
  /** 'sq8' (default, dim bytes per vector), 'sq4' (dim / 2) or 'fp16' (2 × dim, needs no training). */
  type?: SqType;
  /** Keep the raw float vectors as well, for exact `rerank` (costs 4 × dim bytes per vector). Default false. */
  keepVectors?: boolean;
  /** Re-rank factor used when a search passes no `rerank` (needs keepVectors; saved with the index). Default 0: none. */
  rerank?: number;
  /** Vectors to reserve room for up front. */
  initialCapacity?: number;
}

/** `rerank`: re-rank k × rerank code-ranked candidates by exact distance to the raw vectors (needs keepVectors). */
export type SqSearchOptions = FlatCodesSearchOptions;

function sqRows(type: SqType): StorageMaker<CodeStorage> {
  return (dim, metric, kernels, capacity) => new CodeStorage(new SqCodec({ dim, type, kernels }), metric, kernels, capacity);
}

/**
 * Flat scan over scalar-quantized codes: a FlatCodesIndex whose rows are SQ codes. A search scores the float
 * query against every code (asymmetric distance), optionally re-ranking the best k × rerank candidates
 * exactly from kept raw vectors. Train the quantizer's ranges first (fp16 needs no training).
 * Distances returned without rerank are the approximate code distances.
 */
export class SqIndex extends FlatCodesIndex<SqSearchOptions, CodeStorage> {
  override readonly kind = 'sq';
  readonly type: SqType;

  constructor(options: SqIndexOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'SqIndex takes an options object { dim, metric, type }.');
    const type = optionOr(options.type, 'sq8');
    if (!SQ_TYPES.includes(type)) throw new AnnkitError('INVALID_ARGUMENT', `type must be one of ${SQ_TYPES.join(', ')}, got ${JSON.stringify(type)}.`);
    super({ ...options, storage: sqRows(type) });
    this.type = type;
  }

  /** The quantizer (replaced by train()). */
  get codec(): SqCodec {
    return this.storage.codec as SqCodec;
  }

  protected override fileLayout(): FlatCodesLayout {
    return SQ_LAYOUT;
  }

  protected override fileParams(): Record<string, unknown> {
    return sqParams(this.size, { type: this.type, keepVectors: this.keepVectors, trained: this.isTrained, rerank: this.rerank });
  }

  static override deserialize(bytes: BytesInput, options?: LoadOptions): SqIndex {
    const file = decodeSq(toBytes(bytes));
    const index = new SqIndex({ dim: file.dim, metric: file.metric, type: file.type, keepVectors: file.keepVectors, rerank: file.rerank, kernels: options?.kernels, initialCapacity: initialCapacityFor(file.count, file.dim) });
    return index.restore(file.payload, file.trained);
  }
}
