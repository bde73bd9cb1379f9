import { corrupt, paramInt } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { expectState, readCommonParams, readFlatCodes, readPayload, withRerank } from '@annkit/flat';
import type { CommonParams, FlatCodesLayout, FlatCodesPayload } from '@annkit/flat';
import { pqCodeSize } from './pq-codec.js';

/*
 * PqIndex file ("PQ" kind), format 1.0. Sections:
 *   PARM  JSON { format, count, m, nbits, keepVectors, trained, niter, seed, maxPointsPerCentroid, rerank? }
 *         (rerank only when set)
 *   IDS   float64 id of each slot (count)
 *   CODE  codes by slot (count × codeSize bytes)
 *   CDST  float32 codebooks (m × 2^nbits × dim/m)   (trained only)
 *   RAWV  float32 raw vectors by slot (count × dim)  (keepVectors only)
 */
export const PQ_LAYOUT: FlatCodesLayout = { kind: 'PQ', major: 1, minor: 0, format: 'annkit-pq', rowsTag: 'CODE', hasState: true, hasRaw: true };

/** How the codebooks are (or were) trained. */
export interface PqTraining {
  m: number;
  nbits: 4 | 8;
  niter: number;
  seed: number;
  maxPointsPerCentroid: number;
}

/** Everything a PQ file holds, validated and sized. */
export interface DecodedPq extends PqTraining, CommonParams {
  dim: number;
  metric: Metric;
  payload: FlatCodesPayload;
}

/** PARM in the order the format has always written its keys. */
export function pqParams(count: number, t: PqTraining, p: Omit<CommonParams, 'count'>): Record<string, unknown> {
  const params = { format: PQ_LAYOUT.format, count, m: t.m, nbits: t.nbits, keepVectors: p.keepVectors, trained: p.trained, niter: t.niter, seed: t.seed, maxPointsPerCentroid: t.maxPointsPerCentroid };
  return withRerank(params, p.rerank);
}

export function decodePq(bytes: Uint8Array): DecodedPq {
  const file = readFlatCodes(bytes, PQ_LAYOUT);
  const { dim, params: p } = file;
  const common = readCommonParams(file);
  const m = paramInt(p, 'm', 1, dim);
  if (dim % m !== 0) throw corrupt(`m = ${m} does not divide dim ${dim}`);
  const nbits = paramInt(p, 'nbits', 4, 8);
  if (nbits !== 4 && nbits !== 8) throw corrupt(`nbits ${nbits}`);
  const niter = paramInt(p, 'niter', 1, 100_000);
  const maxPointsPerCentroid = paramInt(p, 'maxPointsPerCentroid', 1, 2 ** 31 - 1);
  const seed = p.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw corrupt(`PARM.seed is ${JSON.stringify(seed)}`);
  expectState(file, common.trained, 'codebooks');
  // Sizes are checked against the section lengths before anything is allocated.
  const payload = readPayload(file, common.count, pqCodeSize(m, nbits), 'CODE');
  return { ...common, m, nbits, niter, seed, maxPointsPerCentroid, dim, metric: file.metric, payload };
}
