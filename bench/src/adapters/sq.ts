import { SqIndex } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import type { BenchAdapter, BuiltIndex } from './types.js';

export interface SqBenchParams {
  /** 8 (default), 4, or 16 for fp16. */
  bits?: 8 | 4 | 16;
  /** Rerank factors (0 = none); a factor > 0 keeps the raw vectors. */
  rerank?: number | number[];
  /** Training rows: the first trainSize base rows (default all). */
  trainSize?: number;
}

/** annkit's SqIndex (flat scan over scalar-quantized codes), swept over the rerank factor. */
export function sqAdapter(params: SqBenchParams = {}): BenchAdapter {
  const type: SqType = params.bits === 4 ? 'sq4' : params.bits === 16 ? 'fp16' : 'sq8';
  const reranks = params.rerank === undefined ? [0] : Array.isArray(params.rerank) ? params.rerank : [params.rerank];
  const keepVectors = reranks.some((r) => r > 0);
  return {
    library: 'annkit-sq',
    label: `${type.toUpperCase()}${keepVectors ? ',raw' : ''}`,
    searchGrid: reranks.map((rerank) => ({ rerank })),
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, kernels, onProgress }): BuiltIndex {
      const index = new SqIndex({ dim, metric, type, keepVectors, kernels, initialCapacity: n });
      if (!index.isTrained) index.train(base.subarray(0, Math.min(n, params.trainSize ?? n) * dim), { onProgress });
      const ids = new Float64Array(n);
      for (let i = 0; i < n; i++) ids[i] = i;
      index.addBatch(ids, base, { onProgress });
      let rerank = reranks[0]!;
      return {
        setSearchParams: (p) => {
          rerank = p.rerank ?? 0;
        },
        search: (q, k) => index.search(q as Float32Array, k, { rerank }).ids,
        memoryBytes: () => index.memoryBytes,
        serializedBytes: () => index.serialize().byteLength,
        free: () => index.free(),
      };
    },
  };
}
