import type { SpecTokens } from './family.js';

// The grammar every family's factory string shares: counts, codec tokens and a trailing Rerank.

/** The factor a bare ",Rerank" asks for: FAISS's usual refine factor, enough for recall ≈ 1 on PQ codes. */
export const DEFAULT_RERANK = 10;

/** What a codec token names: exact floats, a scalar quantizer, or a product quantizer. */
export type CodecToken = { kind: 'flat' } | { kind: 'sq'; type: 'sq8' | 'sq4' | 'fp16' } | { kind: 'pq'; m: number; nbits: 4 | 8 };

/** A codec token ("Flat", "SQ8", "SQ4", "SQfp16", "PQ16", "PQ16x4"; any case), or null for another token. */
export function parseCodecToken(spec: SpecTokens, token: string): CodecToken | null {
  if (/^flat$/i.test(token)) return { kind: 'flat' };
  const sq = /^sq(8|4|fp16)$/i.exec(token);
  if (sq) return { kind: 'sq', type: sq[1] === '8' ? 'sq8' : sq[1] === '4' ? 'sq4' : 'fp16' };
  const pq = /^pq(\d*)(?:x(\d+))?$/i.exec(token);
  if (!pq) return null;
  const nbits = pq[2] === undefined ? 8 : Number(pq[2]);
  if (nbits !== 4 && nbits !== 8) spec.fail(token, 'has nbits other than 4 or 8');
  return { kind: 'pq', m: specCount(spec, token, pq[1], 'number of sub-quantizers'), nbits };
}

/** The canonical token of a codec ("Flat", "SQ8", "SQfp16", "PQ16", "PQ16x4"). */
export function codecToken(codec: CodecToken): string {
  if (codec.kind === 'flat') return 'Flat';
  if (codec.kind === 'sq') return codec.type === 'fp16' ? 'SQfp16' : codec.type.toUpperCase();
  return codec.nbits === 8 ? `PQ${codec.m}` : `PQ${codec.m}x${codec.nbits}`;
}

/** A positive integer written in a token ("1024" of "IVF1024"), or the token's failure. */
export function specCount(spec: SpecTokens, token: string, digits: string | undefined, what: string): number {
  const n = Number(digits);
  if (digits === undefined || digits === '' || !Number.isSafeInteger(n) || n < 1) spec.fail(token, `needs a positive ${what}`);
  return n;
}

/** The positive integer after the family's head ("32" of "HNSW32"), or the head token's failure. */
export function headCount(spec: SpecTokens, what: string): number {
  return specCount(spec, spec.head, /^\d+$/.test(spec.headArgument) ? spec.headArgument : undefined, what);
}

/**
 * The tokens of a structure over a codec ("IVF1024,PQ16,Rerank", "HNSW32,SQ8"): the count in its head, the
 * codec token after it (read by `readCodec`; it may be absent), nothing more, and a Rerank only over lossy
 * codes (`exact` says which are not; `exactName` names them in the message).
 */
export function parseOverCodec<C>(
  spec: SpecTokens,
  countName: string,
  readCodec: (token: string | undefined) => C,
  exact: (codec: C) => boolean,
  exactName: string,
): { count: number; codec: C; rerank: { keepVectors?: boolean; rerank?: number } } {
  const count = headCount(spec, countName);
  const codec = readCodec(spec.rest[0]);
  noMoreTokens(spec, 1, spec.head);
  if (exact(codec)) noRerank(spec, `${exactName} (it already ranks with exact distances)`);
  return { count, codec, rerank: rerankOptions(spec) };
}

/** Fails on any token after the first `allowed` of spec.rest ("cannot follow …"). */
export function noMoreTokens(spec: SpecTokens, allowed: number, after: string): void {
  const extra = spec.rest[allowed];
  if (extra === undefined) return;
  spec.fail(extra, allowed === 0 ? `cannot follow ${after}` : 'is one token too many');
}

/** Fails when the spec ends in Rerank: `why` says why it does not apply. */
export function noRerank(spec: SpecTokens, why: string): void {
  if (spec.rerank > 0) spec.fail(spec.rerankToken, `does not apply to ${why}`);
}

/** What a trailing Rerank sets: keep the raw vectors and re-rank by default. */
export function rerankOptions(spec: SpecTokens): { keepVectors?: boolean; rerank?: number } {
  return spec.rerank > 0 ? { keepVectors: true, rerank: spec.rerank } : {};
}

/**
 * The Rerank suffix of a canonical factory string: "" without kept vectors, ",Rerank" for the default
 * factor (and for kept vectors without a default factor, as files written before ",Rerank" re-ranked by
 * default have), ",Rerank<k>" for another factor.
 */
export function rerankSuffix(keepVectors: boolean, factor: number): string {
  if (!keepVectors) return '';
  return factor > 0 && factor !== DEFAULT_RERANK ? `,Rerank${factor}` : ',Rerank';
}
