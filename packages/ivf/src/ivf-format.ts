import { AnnkitError, IdMap, ProgressTracker, bytesOf, corrupt, decodeJson, encodeJson, isAnnkitError, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { AnnkSection, Kernels, LongTaskOptions } from '@annkit/core';
import { createListCodec } from './codec-factory.js';
import { InvertedLists } from './inverted-lists.js';
import { IvfIndex } from './ivf-index.js';
import type { IvfCodecType } from './list-codec.js';
import type { IvfCodecSpec } from './options.js';

/*
 * IVF file ("IVF " kind), format 1.0. Sections:
 *   PARM  JSON build parameters and counts
 *   IDS   float64 id of each slot (count)
 *   CENT  float32 centroids, trainedLists × dim            (trained only)
 *   LSIZ  uint32 entries per list (trainedLists)            (trained only)
 *   LSLT  int32 slot of each entry, list after list (count) (trained only)
 *   LROW  entry rows in the same order: float32 × dim (flat) or codeSize bytes (trained only)
 *   CDST  codec state: SQ ranges or PQ codebooks            (trained sq8/sq4/pq only)
 *   RAWV  float32 raw vectors by slot (count × dim)         (keepVectors only)
 */
const FORMAT_MAJOR = 1;
const FORMAT_MINOR = 0;
const KIND = 'IVF';
const TRAINED_SECTIONS = ['CENT', 'LSIZ', 'LSLT', 'LROW'] as const;
const CODECS: readonly IvfCodecType[] = ['flat', 'sq8', 'sq4', 'fp16', 'pq'];

export function serializeIvf(index: IvfIndex, opts?: LongTaskOptions): Uint8Array {
  const progress = new ProgressTracker(opts, 'serialize', 1);
  const o = index.options;
  const n = index.size;
  const lists = index.lists;
  const params = {
    format: 'annkit-ivf',
    count: n,
    nlist: o.nlist,
    trainedLists: lists === null ? 0 : lists.nlist,
    codec: o.codec,
    ...(o.codec === 'pq' ? { pqM: o.pqM, pqNbits: o.pqNbits, pqNiter: o.pqNiter } : {}),
    byResidual: o.byResidual,
    keepVectors: o.keepVectors,
    niter: o.niter,
    maxPointsPerCentroid: o.maxPointsPerCentroid,
    seed: o.seed,
  };
  const sections: AnnkSection[] = [
    { tag: 'PARM', data: encodeJson(params) },
    { tag: 'IDS ', data: bytesOf(index.idMap.idsBySlot.subarray(0, n)) },
  ];
  if (lists !== null) {
    const sizes = new Uint32Array(lists.nlist);
    const slots = new Int32Array(n);
    const flat = o.codec === 'flat';
    const rowBytes = flat ? o.dim * 4 : lists.rowLen;
    const rows = new Uint8Array(n * rowBytes);
    const rowFloats = flat ? new Float32Array(rows.buffer) : null;
    let e = 0;
    for (let l = 0; l < lists.nlist; l++) {
      const size = lists.size(l);
      sizes[l] = size;
      const ls = lists.slots(l);
      const lr = lists.rows(l);
      for (let p = 0; p < size; p++, e++) {
        slots[e] = ls[p]!;
        if (rowFloats !== null) for (let i = 0; i < o.dim; i++) rowFloats[e * o.dim + i] = lr[p * lists.rowLen + i]!;
        else rows.set((lr as Uint8Array).subarray(p * lists.rowLen, (p + 1) * lists.rowLen), e * rowBytes);
      }
    }
    sections.push({ tag: 'CENT', data: bytesOf(index.coarse.exportPacked()) });
    sections.push({ tag: 'LSIZ', data: bytesOf(sizes) });
    sections.push({ tag: 'LSLT', data: bytesOf(slots) });
    sections.push({ tag: 'LROW', data: rows });
    const state = index.codec.exportState();
    if (state.byteLength > 0) sections.push({ tag: 'CDST', data: state });
  }
  if (index.raw !== null) sections.push({ tag: 'RAWV', data: bytesOf(index.raw.exportPacked()) });
  const bytes = writeAnnk({ kind: KIND, major: FORMAT_MAJOR, minor: FORMAT_MINOR, dim: o.dim, metric: o.metric }, sections);
  progress.finish();
  return bytes;
}

export function deserializeIvf(bytes: Uint8Array, options?: { kernels?: Kernels }): IvfIndex {
  const file = readAnnk(bytes, { kind: KIND, major: FORMAT_MAJOR, required: ['PARM', 'IDS '], known: ['PARM', 'IDS ', ...TRAINED_SECTIONS, 'CDST', 'RAWV'] });
  const { dim, metric, sections } = file;
  const p = decodeJson(sections.get('PARM'), 'PARM');
  if (p.format !== 'annkit-ivf') throw corrupt('PARM.format is not "annkit-ivf"');
  const count = paramInt(p, 'count', 0, 2 ** 31 - 1);
  const nlist = paramInt(p, 'nlist', 1, 1 << 24);
  const trainedLists = paramInt(p, 'trainedLists', 0, nlist);
  const codecType = p.codec as IvfCodecType;
  if (!CODECS.includes(codecType)) throw corrupt(`unknown codec ${JSON.stringify(p.codec)}`);
  let codec: IvfCodecSpec = codecType as Exclude<IvfCodecType, 'pq'>;
  if (codecType === 'pq') {
    const m = paramInt(p, 'pqM', 1, dim);
    if (dim % m !== 0) throw corrupt(`PQ m = ${m} does not divide dim ${dim}`);
    const nbits = paramInt(p, 'pqNbits', 4, 8);
    if (nbits !== 4 && nbits !== 8) throw corrupt(`PQ nbits ${nbits}`);
    codec = { type: 'pq', m, nbits, niter: paramInt(p, 'pqNiter', 1, 100_000) };
  }
  const byResidual = p.byResidual;
  const keepVectors = p.keepVectors;
  if (typeof byResidual !== 'boolean' || typeof keepVectors !== 'boolean') throw corrupt('PARM.byResidual / keepVectors are not booleans');
  if (codecType === 'flat' && (byResidual || keepVectors)) throw corrupt('flat lists cannot be residual or keep raw vectors');
  const niter = paramInt(p, 'niter', 1, 100_000);
  const maxPointsPerCentroid = paramInt(p, 'maxPointsPerCentroid', 1, 2 ** 31 - 1);
  const seed = p.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw corrupt(`PARM.seed is ${JSON.stringify(seed)}`);

  // Sizes are checked against the section lengths before anything is allocated.
  const ids = sectionArray(Float64Array, sections.get('IDS '), count, 'IDS ');
  const idMap = IdMap.fromDense(ids);
  const raw = keepVectors ? finite(sectionArray(Float32Array, sections.get('RAWV'), count * dim, 'RAWV'), 'RAWV') : null;
  if (!keepVectors && sections.has('RAWV')) throw corrupt('section "RAWV" present without keepVectors');

  const index = new IvfIndex({ dim, metric, nlist, codec, byResidual, keepVectors, niter, maxPointsPerCentroid, seed, kernels: options?.kernels });
  try {
    if (trainedLists === 0) {
      if (count !== 0) throw corrupt(`an untrained index cannot hold ${count} vectors`);
      for (const tag of [...TRAINED_SECTIONS, 'CDST']) if (sections.has(tag)) throw corrupt(`section "${tag}" present in an untrained index`);
    } else {
      loadTrained(index, sections, trainedLists, count);
    }
    for (const [id, slot] of idMap.entries()) index.idMap.set(id, slot);
    if (raw !== null) for (let s = 0; s < count; s++) index.raw!.append(raw, s * dim);
    return index;
  } catch (err) {
    index.free();
    if (isAnnkitError(err)) throw err;
    throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${String(err)}`, { cause: err });
  }
}

function loadTrained(index: IvfIndex, sections: Map<string, Uint8Array>, nlist: number, count: number): void {
  const o = index.options;
  const dim = o.dim;
  const centroids = finite(sectionArray(Float32Array, sections.get('CENT'), nlist * dim, 'CENT'), 'CENT');
  const sizes = sectionArray(Uint32Array, sections.get('LSIZ'), nlist, 'LSIZ');
  let total = 0;
  for (let l = 0; l < nlist; l++) total += sizes[l]!;
  if (total !== count) throw corrupt(`list sizes add up to ${total}, expected ${count}`);
  const slots = sectionArray(Int32Array, sections.get('LSLT'), count, 'LSLT');
  const seen = new Uint8Array(count);
  for (let e = 0; e < count; e++) {
    const s = slots[e]!;
    if (s < 0 || s >= count || seen[s] === 1) throw corrupt(`list entry ${e} has slot ${s}`);
    seen[s] = 1;
  }
  const state = sections.get('CDST');
  const needsState = o.codec === 'sq8' || o.codec === 'sq4' || o.codec === 'pq';
  if (needsState !== (state !== undefined)) throw corrupt(needsState ? 'codec state section "CDST" is missing' : 'unexpected codec state section "CDST"');
  const codec = createListCodec(o, state);
  const flat = o.codec === 'flat';
  const rowBytes = flat ? dim * 4 : codec.rowLen;
  const rowData = sections.get('LROW');
  const floats = flat ? finite(sectionArray(Float32Array, rowData, count * dim, 'LROW'), 'LROW') : null;
  const codes = flat ? null : sectionArray(Uint8Array, rowData, count * rowBytes, 'LROW');

  index.coarse.setCentroids(centroids, nlist);
  index.codec.free();
  index.codec = codec;
  codec.prepareLists?.(index.coarse);
  const lists = new InvertedLists(nlist, codec.rowLen, codec.rowCtor, o.kernels.heap);
  index.lists = lists;
  index.ensureSlotCapacity(count);
  let e = 0;
  for (let l = 0; l < nlist; l++) {
    const size = sizes[l]!;
    lists.reserve(l, size);
    for (let p = 0; p < size; p++, e++) {
      const slot = slots[e]!;
      const pos = lists.append(l, slot);
      const rows = lists.rows(l);
      if (floats !== null) for (let i = 0; i < dim; i++) rows[pos * codec.rowLen + i] = floats[e * dim + i]!;
      else rows.set(codes!.subarray(e * rowBytes, (e + 1) * rowBytes), pos * codec.rowLen);
      index.slotList[slot] = l;
      index.slotPos[slot] = pos;
    }
  }
}

function finite(values: Float32Array, tag: string): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw corrupt(`section "${tag}" holds a non-finite value (${v}) at ${i}`);
  }
  return values;
}
