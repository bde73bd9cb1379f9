import { AnnkitError, IdMap, ProgressTracker, bytesOf, corrupt, decodeJson, encodeJson, isAnnkitError, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { AnnkSection, Kernels, LongTaskOptions } from '@annkit/core';
import { SQ_TYPES, SqCodec } from './sq-codec.js';
import type { SqType } from './sq-codec.js';
import { SqIndex } from './sq-index.js';

/*
 * SqIndex file ("SQ" kind), format 1.0. Sections:
 *   PARM  JSON { format, count, type, keepVectors, trained }
 *   IDS   float64 id of each slot (count)
 *   CODE  codes by slot (count × codeSize bytes)
 *   CDST  float32 per-dimension scale then offset (2 × dim)   (trained sq8/sq4 only)
 *   RAWV  float32 raw vectors by slot (count × dim)           (keepVectors only)
 */
const FORMAT_MAJOR = 1;
const FORMAT_MINOR = 0;
const KIND = 'SQ';

export function serializeSq(index: SqIndex, opts?: LongTaskOptions): Uint8Array {
  const progress = new ProgressTracker(opts, 'serialize', 1);
  const n = index.size;
  const trained = index.isTrained;
  const params = { format: 'annkit-sq', count: n, type: index.type, keepVectors: index.keepVectors, trained };
  const sections: AnnkSection[] = [
    { tag: 'PARM', data: encodeJson(params) },
    { tag: 'IDS ', data: bytesOf(index.idMap.idsBySlot.subarray(0, n)) },
    { tag: 'CODE', data: index.store.exportPacked() },
  ];
  if (trained && index.type !== 'fp16') {
    const { scale, offset } = index.codec.exportState();
    const state = new Float32Array(2 * index.dim);
    state.set(scale, 0);
    state.set(offset, index.dim);
    sections.push({ tag: 'CDST', data: bytesOf(state) });
  }
  if (index.raw !== null) sections.push({ tag: 'RAWV', data: bytesOf(index.raw.exportPacked()) });
  const bytes = writeAnnk({ kind: KIND, major: FORMAT_MAJOR, minor: FORMAT_MINOR, dim: index.dim, metric: index.metric }, sections);
  progress.finish();
  return bytes;
}

export function deserializeSq(bytes: Uint8Array, options?: { kernels?: Kernels }): SqIndex {
  const file = readAnnk(bytes, { kind: KIND, major: FORMAT_MAJOR, required: ['PARM', 'IDS ', 'CODE'], known: ['PARM', 'IDS ', 'CODE', 'CDST', 'RAWV'] });
  const { dim, metric, sections } = file;
  const p = decodeJson(sections.get('PARM'), 'PARM');
  if (p.format !== 'annkit-sq') throw corrupt('PARM.format is not "annkit-sq"');
  const count = paramInt(p, 'count', 0, 2 ** 31 - 1);
  const type = p.type as SqType;
  if (!SQ_TYPES.includes(type)) throw corrupt(`unknown scalar quantizer type ${JSON.stringify(p.type)}`);
  if (typeof p.keepVectors !== 'boolean' || typeof p.trained !== 'boolean') throw corrupt('PARM.keepVectors / trained are not booleans');
  const keepVectors = p.keepVectors;
  const trained = p.trained;
  if (type === 'fp16' && !trained) throw corrupt('an fp16 index is always trained');
  if (!trained && count > 0) throw corrupt(`an untrained index cannot hold ${count} vectors`);
  const hasState = trained && type !== 'fp16';
  if (hasState !== sections.has('CDST')) throw corrupt(hasState ? 'quantizer ranges (section "CDST") are missing' : 'unexpected section "CDST"');
  if (keepVectors !== sections.has('RAWV')) throw corrupt(keepVectors ? 'raw vectors (section "RAWV") are missing' : 'unexpected section "RAWV"');

  // Sizes are checked against the section lengths before anything is allocated.
  const ids = sectionArray(Float64Array, sections.get('IDS '), count, 'IDS ');
  const idMap = IdMap.fromDense(ids);
  const index = new SqIndex({ dim, metric, type, keepVectors, kernels: options?.kernels, initialCapacity: Math.max(1, count) });
  try {
    const codes = sectionArray(Uint8Array, sections.get('CODE'), count * index.codeSize, 'CODE');
    const raw = keepVectors ? sectionArray(Float32Array, sections.get('RAWV'), count * dim, 'RAWV') : null;
    if (raw !== null) {
      for (let i = 0; i < raw.length; i++) if (raw[i]! - raw[i]! !== 0) throw corrupt(`raw vector value ${raw[i]} is not finite`);
    }
    if (hasState) {
      const state = sectionArray(Float32Array, sections.get('CDST'), 2 * dim, 'CDST');
      index.codec.free();
      index.codec = SqCodec.fromState({ dim, type, scale: state.subarray(0, dim), offset: state.subarray(dim) }, index.kernels);
    }
    for (let s = 0; s < count; s++) index.store.append(codes, s * index.codeSize);
    if (raw !== null) for (let s = 0; s < count; s++) index.raw!.append(raw, s * dim);
    for (const [id, slot] of idMap.entries()) index.idMap.set(id, slot);
    return index;
  } catch (err) {
    index.free();
    if (isAnnkitError(err)) throw err;
    throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${String(err)}`, { cause: err });
  }
}
