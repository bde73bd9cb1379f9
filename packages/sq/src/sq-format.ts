import { corrupt } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { expectState, readCommonParams, readFlatCodes, readPayload, withRerank } from '@annkit/flat';
import type { CommonParams, FlatCodesLayout, FlatCodesPayload } from '@annkit/flat';
import { SQ_TYPES, sqCodeSize } from './sq-codec.js';
import type { SqType } from './sq-codec.js';

/*
 * SqIndex file ("SQ" kind), format 1.0. Sections:
 *   PARM  JSON { format, count, type, keepVectors, trained, rerank? }   (rerank only when set)
 *   IDS   float64 id of each slot (count)
 *   CODE  codes by slot (count × codeSize bytes)
 *   CDST  float32 per-dimension scale then offset (2 × dim)   (trained sq8/sq4 only)
 *   RAWV  float32 raw vectors by slot (count × dim)           (keepVectors only)
 */
export const SQ_LAYOUT: FlatCodesLayout = { kind: 'SQ', major: 1, minor: 0, format: 'annkit-sq', rowsTag: 'CODE', hasState: true, hasRaw: true };

export interface SqParams extends Omit<CommonParams, 'count'> {
  type: SqType;
}

/** Everything an SQ file holds, validated and sized. */
export interface DecodedSq extends SqParams, CommonParams {
  dim: number;
  metric: Metric;
  payload: FlatCodesPayload;
}

/** PARM in the order the format has always written its keys. */
export function sqParams(count: number, p: SqParams): Record<string, unknown> {
  return withRerank({ format: SQ_LAYOUT.format, count, type: p.type, keepVectors: p.keepVectors, trained: p.trained }, p.rerank);
}

export function decodeSq(bytes: Uint8Array): DecodedSq {
  const file = readFlatCodes(bytes, SQ_LAYOUT);
  const type = file.params.type as SqType;
  if (!SQ_TYPES.includes(type)) throw corrupt(`unknown scalar quantizer type ${JSON.stringify(file.params.type)}`);
  const common = readCommonParams(file);
  if (type === 'fp16' && !common.trained) throw corrupt('an fp16 index is always trained');
  expectState(file, common.trained && type !== 'fp16', 'quantizer ranges');
  // Sizes are checked against the section lengths before anything is allocated.
  const payload = readPayload(file, common.count, sqCodeSize(type, file.dim), 'CODE');
  return { ...common, type, dim: file.dim, metric: file.metric, payload };
}
