import { PqIndex } from '@annkit/pq';
import type { BenchAdapter, BuiltIndex } from './types.js';

export interface PqBenchParams {
  /** Sub-quantizers (must divide dim). */
  m: number;
  nbits?: 4 | 8;
  /** Rerank factors (0 = none); a factor > 0 keeps the raw vectors. */
  rerank?: number | number[];
  /** Training rows: the first trainSize base rows (default min(n, 256 · 2^nbits)). */
  trainSize?: number;
  niter?: number;
  seed?: number;
}

/** annkit's PqIndex (ADC scan over product-quantized codes), swept over the rerank factor. */
export function pqAdapter(params: PqBenchParams): BenchAdapter {
  const nbits = params.nbits ?? 8;
  const reranks = params.rerank === undefined ? [0] : Array.isArray(params.rerank) ? params.rerank : [params.rerank];
  const keepVectors = reranks.some((r) => r > 0);
  return {
    library: 'annkit-pq',
    label: `PQ${params.m}${nbits === 4 ? 'x4' : ''}${keepVectors ? ',raw' : ''}`,
    searchGrid: reranks.map((rerank) => ({ rerank })),
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, kernels, onProgress }): BuiltIndex {
      const index = new PqIndex({ dim, metric, m: params.m, nbits, keepVectors, kernels, niter: params.niter, seed: params.seed, initialCapacity: n });
      index.train(base.subarray(0, Math.min(n, params.trainSize ?? 256 << nbits) * dim), { onProgress });
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
