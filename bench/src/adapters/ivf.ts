import { annkitAdapter } from './annkit.js';
import type { BenchAdapter } from './types.js';

export interface IvfBenchParams {
  /** Coarse lists (default round(4·√n), decided at build time). */
  nlist?: number;
  /**
   * 'flat' (default), 'sq8', 'sq4', 'fp16', or 'pq'. For numeric-only specs (the harness's
   * "ivf:nlist=1024,pqM=50,nprobe=8/16"), pqM alone selects PQ and sqBits (8, 4 or 16) selects SQ.
   */
  codec?: 'flat' | 'sq8' | 'sq4' | 'fp16' | 'pq';
  sqBits?: 8 | 4 | 16;
  pqM?: number;
  pqNbits?: 4 | 8;
  /** nprobe grid. */
  nprobe?: number | number[];
  /** Rerank factors (0 = none); a factor > 0 keeps the raw vectors. */
  rerank?: number | number[];
  /** Training rows: the first trainSize base rows (default min(n, 64 · nlist)). */
  trainSize?: number;
  niter?: number;
  seed?: number;
}

export const DEFAULT_NPROBE_GRID = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 192, 256];

const asList = (v: number | number[] | undefined, fallback: number[]): number[] => (v === undefined ? fallback : Array.isArray(v) ? v : [v]);

function codecOf(params: IvfBenchParams): 'flat' | 'sq8' | 'sq4' | 'fp16' | 'pq' {
  if (params.codec !== undefined) return params.codec;
  if (params.pqM !== undefined) return 'pq';
  if (params.sqBits !== undefined) return params.sqBits === 4 ? 'sq4' : params.sqBits === 16 ? 'fp16' : 'sq8';
  return 'flat';
}

/** The FAISS index-factory name of a configuration, e.g. "IVF1024,PQ50" (nlist "x" until the build knows n). */
export function ivfLabel(nlist: number | undefined, params: IvfBenchParams): string {
  const codec = codecOf(params);
  const c = codec === 'flat' ? 'Flat' : codec === 'pq' ? `PQ${params.pqM ?? 0}${params.pqNbits === 4 ? 'x4' : ''}` : codec.toUpperCase();
  return `IVF${nlist ?? 'x'},${c}`;
}

/** The factory token of the list codec ("Flat", "SQ8", "SQfp16", "PQ50x4"). */
function codecToken(params: IvfBenchParams): string {
  const codec = codecOf(params);
  if (codec === 'pq') return `PQ${params.pqM ?? 8}${params.pqNbits === 4 ? 'x4' : ''}`;
  return codec === 'flat' ? 'Flat' : codec === 'fp16' ? 'SQfp16' : codec.toUpperCase();
}

/** annkit's IvfIndex: train on the first trainSize rows, addBatch the base, then sweep nprobe × rerank. */
export function ivfAdapter(params: IvfBenchParams = {}): BenchAdapter {
  const nprobes = asList(params.nprobe, DEFAULT_NPROBE_GRID);
  const reranks = asList(params.rerank, [0]);
  const codecName = codecOf(params);
  const keepVectors = codecName !== 'flat' && reranks.some((r) => r > 0);
  const nlistFor = (n: number) => params.nlist ?? Math.max(1, Math.round(4 * Math.sqrt(n)));
  return annkitAdapter({
    spec: (n) => `IVF${nlistFor(n)},${codecToken(params)}${keepVectors ? ',Rerank' : ''}`,
    options: { niter: params.niter, seed: params.seed },
    grid: nprobes.flatMap((nprobe) => (codecName === 'flat' ? [{ nprobe }] : reranks.map((rerank) => ({ nprobe, rerank })))),
    trainRows: (n) => params.trainSize ?? 64 * nlistFor(n),
    label: ivfLabel(params.nlist, params) + (keepVectors ? ',raw' : ''),
  });
}
