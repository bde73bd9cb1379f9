import { annkitAdapter } from './annkit.js';
import type { BenchAdapter } from './types.js';

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
  const token = params.bits === 4 ? 'SQ4' : params.bits === 16 ? 'SQfp16' : 'SQ8';
  const reranks = params.rerank === undefined ? [0] : Array.isArray(params.rerank) ? params.rerank : [params.rerank];
  const keepVectors = reranks.some((r) => r > 0);
  return annkitAdapter({
    spec: `${token}${keepVectors ? ',Rerank' : ''}`,
    grid: reranks.map((rerank) => ({ rerank })),
    trainRows: (n) => params.trainSize ?? n,
    label: `${token === 'SQfp16' ? 'FP16' : token}${keepVectors ? ',raw' : ''}`,
  });
}
