import type { Metric } from '@annkit/core';
import { readCount, readFlatCodes, readPayload } from './flat-codes-file.js';
import type { FlatCodesLayout, FlatCodesPayload } from './flat-codes-file.js';

/*
 * FlatIndex file ("FLAT" kind), format 1.0. Sections:
 *   PARM  JSON { format, count }
 *   IDS   float64 id of each slot (count)
 *   VECS  float32 rows by slot (count × dim; unit length under cosine)
 */
export const FLAT_LAYOUT: FlatCodesLayout = { kind: 'FLAT', major: 1, minor: 0, format: 'annkit-flat', rowsTag: 'VECS', hasState: false, hasRaw: false };

export interface DecodedFlat {
  dim: number;
  metric: Metric;
  count: number;
  payload: FlatCodesPayload;
}

export function decodeFlat(bytes: Uint8Array): DecodedFlat {
  const file = readFlatCodes(bytes, FLAT_LAYOUT);
  const count = readCount(file.params);
  // Sizes are checked against the section lengths before anything is allocated.
  return { dim: file.dim, metric: file.metric, count, payload: readPayload(file, count, 4 * file.dim, 'VECS') };
}
