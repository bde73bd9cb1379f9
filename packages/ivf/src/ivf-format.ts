import { ProgressTracker, bytesOf, corrupt, decodeJson, encodeJson, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { AnnkSection, LongTaskOptions, Metric } from '@annkit/core';
import type { IvfCodecType } from './list-codec.js';
import { isValidRerank } from './options.js';
import type { IvfCodecSpec, IvfIndexOptions, ResolvedIvfOptions } from './options.js';

/*
 * IVF file ("IVF " kind), format 1.0. Sections:
 *   PARM  JSON build parameters and counts (`rerank` only when a default factor is set)
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

/** The lists of a trained index, list after list. */
export interface IvfListsData {
  /** Packed centroids (nlist × dim). */
  centroids: Float32Array;
  /** Entries per list. */
  sizes: Uint32Array;
  /** Slot of each entry (a permutation of 0 .. count−1). */
  slots: Int32Array;
  /** Packed rows (the storages' exportRows), not yet validated: the storages check them on import. */
  rows: Uint8Array;
  /** Codec state (empty when the codec has none). */
  state: Uint8Array;
}

/** Everything a saved index holds: plain data, which IvfIndex builds itself from. */
export interface IvfData {
  options: ResolvedIvfOptions;
  /** Id of each slot. */
  ids: Float64Array;
  /** null while untrained. */
  lists: IvfListsData | null;
  /** Raw vectors by slot (count × dim, finite), with keepVectors. */
  raw: Float32Array | null;
}

export function encodeIvf(data: IvfData, opts?: LongTaskOptions): Uint8Array {
  const progress = new ProgressTracker(opts, 'serialize', 1);
  const o = data.options;
  const lists = data.lists;
  const params = {
    format: 'annkit-ivf',
    count: data.ids.length,
    nlist: o.nlist,
    trainedLists: lists === null ? 0 : lists.sizes.length,
    codec: o.codec,
    ...(o.codec === 'pq' ? { pqM: o.pqM, pqNbits: o.pqNbits, pqNiter: o.pqNiter } : {}),
    byResidual: o.byResidual,
    keepVectors: o.keepVectors,
    niter: o.niter,
    maxPointsPerCentroid: o.maxPointsPerCentroid,
    seed: o.seed,
    // Absent means 0: files without a default factor stay byte-identical to format 1.0 as first written.
    ...(o.rerank > 0 ? { rerank: o.rerank } : {}),
  };
  const sections: AnnkSection[] = [
    { tag: 'PARM', data: encodeJson(params) },
    { tag: 'IDS ', data: bytesOf(data.ids) },
  ];
  if (lists !== null) {
    sections.push({ tag: 'CENT', data: bytesOf(lists.centroids) });
    sections.push({ tag: 'LSIZ', data: bytesOf(lists.sizes) });
    sections.push({ tag: 'LSLT', data: bytesOf(lists.slots) });
    sections.push({ tag: 'LROW', data: lists.rows });
    if (lists.state.byteLength > 0) sections.push({ tag: 'CDST', data: lists.state });
  }
  if (data.raw !== null) sections.push({ tag: 'RAWV', data: bytesOf(data.raw) });
  const bytes = writeAnnk({ kind: KIND, major: FORMAT_MAJOR, minor: FORMAT_MINOR, dim: o.dim, metric: o.metric }, sections);
  progress.finish();
  return bytes;
}

/** Reads and checks an IVF file's structure (CORRUPT_DATA otherwise); row values are checked on import. */
export function decodeIvf(bytes: Uint8Array): IvfData {
  const file = readAnnk(bytes, { kind: KIND, major: FORMAT_MAJOR, minor: FORMAT_MINOR, required: ['PARM', 'IDS '], known: ['PARM', 'IDS ', ...TRAINED_SECTIONS, 'CDST', 'RAWV'] });
  const { dim, metric, sections } = file;
  const p = decodeJson(sections.get('PARM'), 'PARM');
  if (p.format !== 'annkit-ivf') throw corrupt('PARM.format is not "annkit-ivf"');
  const count = paramInt(p, 'count', 0, 2 ** 31 - 1);
  const trainedLists = paramInt(p, 'trainedLists', 0, paramInt(p, 'nlist', 1, 1 << 24));
  const options = decodeParams(p, dim, metric);

  // Sizes are checked against the section lengths before anything is allocated.
  const ids = sectionArray(Float64Array, sections.get('IDS '), count, 'IDS ');
  const raw = options.keepVectors ? finite(sectionArray(Float32Array, sections.get('RAWV'), count * dim, 'RAWV'), 'RAWV') : null;
  if (!options.keepVectors && sections.has('RAWV')) throw corrupt('section "RAWV" present without keepVectors');
  if (trainedLists === 0) {
    if (count !== 0) throw corrupt(`an untrained index cannot hold ${count} vectors`);
    for (const tag of [...TRAINED_SECTIONS, 'CDST']) if (sections.has(tag)) throw corrupt(`section "${tag}" present in an untrained index`);
    return { options, ids, lists: null, raw };
  }
  return { options, ids, lists: decodeLists(sections, options, trainedLists, count), raw };
}

function decodeParams(p: Record<string, unknown>, dim: number, metric: Metric): ResolvedIvfOptions {
  const codec = p.codec as IvfCodecType;
  if (!CODECS.includes(codec)) throw corrupt(`unknown codec ${JSON.stringify(p.codec)}`);
  let pqM = 0;
  let pqNbits: 4 | 8 = 8;
  let pqNiter = 0;
  if (codec === 'pq') {
    pqM = paramInt(p, 'pqM', 1, dim);
    if (dim % pqM !== 0) throw corrupt(`PQ m = ${pqM} does not divide dim ${dim}`);
    const nbits = paramInt(p, 'pqNbits', 4, 8);
    if (nbits !== 4 && nbits !== 8) throw corrupt(`PQ nbits ${nbits}`);
    pqNbits = nbits;
    pqNiter = paramInt(p, 'pqNiter', 1, 100_000);
  }
  const { byResidual, keepVectors } = p;
  if (typeof byResidual !== 'boolean' || typeof keepVectors !== 'boolean') throw corrupt('PARM.byResidual / keepVectors are not booleans');
  if (codec === 'flat' && (byResidual || keepVectors)) throw corrupt('flat lists cannot be residual or keep raw vectors');
  const rerank = p.rerank ?? 0;
  if (!isValidRerank(rerank)) throw corrupt(`PARM.rerank is ${JSON.stringify(p.rerank)}`);
  if (rerank > 0 && !keepVectors) throw corrupt('a default rerank factor without keepVectors');
  const seed = p.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw corrupt(`PARM.seed is ${JSON.stringify(seed)}`);
  return {
    dim,
    metric,
    nlist: paramInt(p, 'nlist', 1, 1 << 24),
    codec,
    pqM,
    pqNbits,
    pqNiter,
    byResidual,
    keepVectors,
    rerank,
    niter: paramInt(p, 'niter', 1, 100_000),
    maxPointsPerCentroid: paramInt(p, 'maxPointsPerCentroid', 1, 2 ** 31 - 1),
    seed,
  };
}

function decodeLists(sections: Map<string, Uint8Array>, o: ResolvedIvfOptions, nlist: number, count: number): IvfListsData {
  const centroids = finite(sectionArray(Float32Array, sections.get('CENT'), nlist * o.dim, 'CENT'), 'CENT');
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
  const rows = sections.get('LROW');
  if (rows === undefined) throw corrupt('section "LROW" is missing');
  return { centroids, sizes, slots, rows, state: state ?? new Uint8Array(0) };
}

function finite(values: Float32Array, tag: string): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw corrupt(`section "${tag}" holds a non-finite value (${v}) at ${i}`);
  }
  return values;
}

/** The constructor options that rebuild a decoded index (kernels are the loader's choice). */
export function constructorOptions(o: ResolvedIvfOptions): IvfIndexOptions {
  const codec: IvfCodecSpec = o.codec === 'pq' ? { type: 'pq', m: o.pqM, nbits: o.pqNbits, niter: o.pqNiter } : o.codec;
  const { dim, metric, nlist, byResidual, keepVectors, rerank, niter, maxPointsPerCentroid, seed } = o;
  return { dim, metric, nlist, codec, byResidual, keepVectors, rerank, niter, maxPointsPerCentroid, seed };
}
