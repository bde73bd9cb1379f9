import { AnnkitError, assertDim, assertMetric } from '@annkit/core';
import type { Kernels, Metric, VectorIndex } from '@annkit/core';
import { AnnoyIndex } from '@annkit/annoy';
import { FlatIndex } from '@annkit/flat';
import { HnswIndex } from '@annkit/hnsw';
import { IvfIndex } from '@annkit/ivf';
import type { IvfCodecSpec } from '@annkit/ivf';
import { PqIndex } from '@annkit/pq';
import { SqIndex } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import { currentKernels } from './defaults.js';

export interface CreateIndexOptions {
  dim: number;
  metric: Metric;
  seed?: number;
  kernels?: Kernels;
  /** Further family options (e.g. efConstruction for HNSW), passed to the constructor as they are. */
  [option: string]: unknown;
}

export const ACCEPTED_FORMS =
  'Flat | SQ8 | SQ4 | SQfp16 | PQ<m>[x<nbits>] | IVF<nlist>,<Flat|SQ8|SQ4|SQfp16|PQ<m>[x<nbits>]> | HNSW<m>[,SQ8] | Annoy<nTrees>; SQ and PQ codecs may end with ",Rerank" (keep raw vectors for exact re-ranking)';

/** A parsed factory string. */
export type IndexSpec =
  | { family: 'flat' }
  | { family: 'sq'; type: SqType; rerank: boolean }
  | { family: 'pq'; m: number; nbits: 4 | 8; rerank: boolean }
  | { family: 'ivf'; nlist: number; codec: IvfCodecSpec; rerank: boolean }
  | { family: 'hnsw'; m: number; sq8: boolean; rerank: boolean }
  | { family: 'annoy'; nTrees: number };

type Codec = { kind: 'flat' } | { kind: 'sq'; type: SqType } | { kind: 'pq'; m: number; nbits: 4 | 8 };

function badToken(spec: string, token: string, why: string): AnnkitError {
  return new AnnkitError('INVALID_ARGUMENT', `Bad index spec "${spec}": "${token}" ${why}. Accepted forms: ${ACCEPTED_FORMS}.`);
}

function count(spec: string, token: string, digits: string, what: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < 1) throw badToken(spec, token, `needs a positive ${what}`);
  return n;
}

/** A codec token: Flat, SQ8, SQ4, SQfp16, PQ<m> or PQ<m>x<nbits>. */
function parseCodec(spec: string, token: string): Codec | null {
  if (/^flat$/i.test(token)) return { kind: 'flat' };
  const sq = /^sq(8|4|fp16)$/i.exec(token);
  if (sq) return { kind: 'sq', type: sq[1]!.toLowerCase() === 'fp16' ? 'fp16' : (`sq${sq[1]}` as SqType) };
  const pq = /^pq(\d+)(?:x(\d+))?$/i.exec(token);
  if (pq) {
    const nbits = pq[2] === undefined ? 8 : Number(pq[2]);
    if (nbits !== 4 && nbits !== 8) throw badToken(spec, token, 'has nbits other than 4 or 8');
    return { kind: 'pq', m: count(spec, token, pq[1]!, 'number of sub-quantizers'), nbits };
  }
  return null;
}

/** Parses a FAISS-style factory string such as "IVF1024,PQ16,Rerank" or "HNSW32". */
export function parseSpec(spec: string): IndexSpec {
  if (typeof spec !== 'string') throw new AnnkitError('INVALID_ARGUMENT', `An index spec is a string such as "HNSW32"; accepted forms: ${ACCEPTED_FORMS}.`);
  const tokens = spec.split(',').map((t) => t.trim());
  let rerank = false;
  if (tokens.length > 1 && /^rerank$/i.test(tokens[tokens.length - 1]!)) {
    rerank = true;
    tokens.pop();
  }
  const [head, second, ...rest] = tokens as [string, string?, ...string[]];
  if (rest.length > 0) throw badToken(spec, rest[0]!, 'is one token too many');
  const noSecond = (family: string) => {
    if (second !== undefined) throw badToken(spec, second, `cannot follow ${family}`);
  };
  const noRerank = (family: string) => {
    if (rerank) throw badToken(spec, 'Rerank', `does not apply to ${family} (it already ranks with exact distances)`);
  };

  const ivf = /^ivf(\d+)$/i.exec(head);
  if (ivf) {
    const nlist = count(spec, head, ivf[1]!, 'number of lists');
    if (second === undefined) throw badToken(spec, head, 'needs a codec after it (IVF<nlist>,Flat for example)');
    const codec = parseCodec(spec, second);
    if (!codec) throw badToken(spec, second, 'is not a codec (Flat, SQ8, SQ4, SQfp16 or PQ<m>[x<nbits>])');
    if (codec.kind === 'flat') noRerank('IVF with flat lists');
    const ivfCodec: IvfCodecSpec = codec.kind === 'flat' ? 'flat' : codec.kind === 'sq' ? codec.type : { type: 'pq', m: codec.m, nbits: codec.nbits };
    return { family: 'ivf', nlist, codec: ivfCodec, rerank };
  }
  const hnsw = /^hnsw(\d+)$/i.exec(head);
  if (hnsw) {
    const m = count(spec, head, hnsw[1]!, 'number of links');
    if (second !== undefined && !/^(sq8|flat)$/i.test(second)) throw badToken(spec, second, 'is not a storage HNSW offers (Flat or SQ8)');
    const sq8 = second !== undefined && /^sq8$/i.test(second);
    if (!sq8) noRerank('HNSW over float vectors');
    return { family: 'hnsw', m, sq8, rerank };
  }
  const annoy = /^annoy(\d+)$/i.exec(head);
  if (annoy) {
    noSecond('Annoy');
    noRerank('Annoy');
    return { family: 'annoy', nTrees: count(spec, head, annoy[1]!, 'number of trees') };
  }
  const codec = parseCodec(spec, head);
  if (!codec) throw badToken(spec, head, 'is not a known index');
  noSecond(head);
  if (codec.kind === 'flat') {
    noRerank('Flat');
    return { family: 'flat' };
  }
  if (codec.kind === 'sq') return { family: 'sq', type: codec.type, rerank };
  return { family: 'pq', m: codec.m, nbits: codec.nbits, rerank };
}

/**
 * Makes an index from a FAISS-style factory string: "Flat", "SQ8", "PQ16x8", "IVF1024,Flat",
 * "IVF1024,SQ8", "IVF1024,PQ16,Rerank", "HNSW32", "HNSW32,SQ8", "Annoy50". Trainable ones (IVF, SQ, PQ) need
 * train(samples) before add (so does HNSW with SQ8 storage). Kernels default to those of init() (TypeScript until then).
 */
export function createIndex(spec: string, options: CreateIndexOptions): VectorIndex {
  const parsed = parseSpec(spec);
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'createIndex(spec, { dim, metric }) needs an options object.');
  assertDim(options.dim);
  assertMetric(options.metric);
  const base = { ...options, kernels: options.kernels ?? currentKernels() };
  switch (parsed.family) {
    case 'flat':
      return new FlatIndex(base);
    case 'sq':
      return new SqIndex({ ...base, type: parsed.type, keepVectors: parsed.rerank });
    case 'pq':
      return new PqIndex({ ...base, m: parsed.m, nbits: parsed.nbits, keepVectors: parsed.rerank });
    case 'ivf':
      return new IvfIndex({ ...base, nlist: parsed.nlist, codec: parsed.codec, keepVectors: parsed.rerank });
    case 'hnsw':
      return new HnswIndex({ ...base, m: parsed.m, ...(parsed.sq8 ? { storage: 'sq8' as const, keepVectors: parsed.rerank } : {}) });
    case 'annoy':
      return new AnnoyIndex({ ...base, nTrees: parsed.nTrees });
  }
}
