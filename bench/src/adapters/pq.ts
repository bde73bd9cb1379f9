import { annkitAdapter } from './annkit.js';
import type { BenchAdapter } from './types.js';

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
  const codec = `PQ${params.m}${nbits === 4 ? 'x4' : ''}`;
  return annkitAdapter({
    spec: `${codec}${keepVectors ? ',Rerank' : ''}`,
    options: { niter: params.niter, seed: params.seed },
    grid: reranks.map((rerank) => ({ rerank })),
    trainRows: () => params.trainSize ?? 256 << nbits,
    label: `${codec}${keepVectors ? ',raw' : ''}`,
  });
}
