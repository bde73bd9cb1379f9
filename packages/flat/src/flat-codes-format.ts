import { corrupt, paramInt } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { expectState, readCommonParams, readFlatCodes, readPayload } from './flat-codes-file.js';
import type { CommonParams, FlatCodesLayout, FlatCodesPayload } from './flat-codes-file.js';

/*
 * A FlatCodesIndex over any storage ("FCOD" kind), format 1.0:
 *   PARM  JSON { format, count, storage (its kind), codeSize, keepVectors, trained, rerank? }
 *   IDS, CODE (storage.exportRows), CDST (storage.exportState, when not empty), RAWV (keepVectors only)
 * The storage itself (quantizer type, sub-quantizers...) is given again on load; its kind and code size are
 * checked against the file.
 */
export const FLAT_CODES_LAYOUT: FlatCodesLayout = { kind: 'FCOD', major: 1, minor: 0, format: 'annkit-flat-codes', rowsTag: 'CODE', hasState: true, hasRaw: true };

/** Everything a FCOD file holds, validated and sized. */
export interface DecodedFlatCodes extends CommonParams {
  dim: number;
  metric: Metric;
  storageKind: string;
  codeSize: number;
  payload: FlatCodesPayload;
}

export function decodeFlatCodes(bytes: Uint8Array): DecodedFlatCodes {
  const file = readFlatCodes(bytes, FLAT_CODES_LAYOUT);
  const common = readCommonParams(file);
  const storageKind = file.params.storage;
  if (typeof storageKind !== 'string') throw corrupt('PARM.storage is not a string');
  const codeSize = paramInt(file.params, 'codeSize', 1, 2 ** 31 - 1);
  // A state section only comes with training (raw floats and fp16 are trained without one).
  if (!common.trained) expectState(file, false, 'trained state');
  const payload = readPayload(file, common.count, codeSize, 'CODE');
  return { ...common, dim: file.dim, metric: file.metric, storageKind, codeSize, payload };
}
