import { bytesOf, corrupt, decodeJson, encodeJson, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { Forest, NONE, recordWidth } from './forest.js';
import { MAX_BUCKET, MAX_TREES } from './options.js';
import { validateForest } from './validate-forest.js';

/*
 * The ANOY kind of the .annk container:
 *   PARM  JSON { format, count, nTrees, bucketSize, built, records, freeHead }
 *   IDS   float64 × count          id of each slot
 *   VECS  float32 × count × dim    rows (normalised under cosine), unpadded
 *   STAT  float64 × 5              RNG state (4 × uint32) and the ip lift radius
 *   ROOT  int32 × nTrees           root record of each tree (empty before the first build)
 *   NODE  int32 × records × width  every record of every tree, as in memory (loaded in place)
 */

export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 0;
const FORMAT_NAME = 'annkit-annoy';
const TAGS = ['PARM', 'IDS ', 'VECS', 'STAT', 'ROOT', 'NODE'] as const;

/** Everything an index persists. */
export interface AnnoyState {
  dim: number;
  metric: Metric;
  nTrees: number;
  bucketSize: number;
  ids: Float64Array;
  /** Packed rows, count × dim. */
  vectors: Float32Array;
  rngState: Uint32Array;
  maxNorm: number;
  forest: Forest;
}

export function encodeAnnoy(s: AnnoyState): Uint8Array {
  const count = s.ids.length;
  const params = {
    format: FORMAT_NAME,
    count,
    nTrees: s.nTrees,
    bucketSize: s.bucketSize,
    built: s.forest.built ? 1 : 0,
    records: s.forest.count,
    freeHead: s.forest.freeHead,
  };
  const stat = Float64Array.of(s.rngState[0]!, s.rngState[1]!, s.rngState[2]!, s.rngState[3]!, s.maxNorm);
  return writeAnnk({ kind: 'ANOY', major: FORMAT_MAJOR, minor: FORMAT_MINOR, dim: s.dim, metric: s.metric }, [
    { tag: 'PARM', data: encodeJson(params) },
    { tag: 'IDS ', data: bytesOf(s.ids) },
    { tag: 'VECS', data: bytesOf(s.vectors) },
    { tag: 'STAT', data: bytesOf(stat) },
    { tag: 'ROOT', data: bytesOf(s.forest.roots) },
    { tag: 'NODE', data: bytesOf(s.forest.words()) },
  ]);
}

/** Reads and fully validates the bytes; the forest is a view into them unless `copy` (or misaligned). */
export function decodeAnnoy(bytes: Uint8Array, copy: boolean): AnnoyState {
  const file = readAnnk(bytes, { kind: 'ANOY', major: FORMAT_MAJOR, minor: FORMAT_MINOR, required: TAGS, known: TAGS });
  const { dim, metric, sections } = file;
  const params = decodeJson(sections.get('PARM'), 'PARM');
  if (params.format !== FORMAT_NAME) throw corrupt(`PARM.format is ${JSON.stringify(params.format)}, expected "${FORMAT_NAME}"`);
  const count = paramInt(params, 'count', 0, 2 ** 31 - 1);
  const nTrees = paramInt(params, 'nTrees', 1, MAX_TREES);
  const bucketSize = paramInt(params, 'bucketSize', 1, MAX_BUCKET);
  const built = paramInt(params, 'built', 0, 1) === 1;
  const records = paramInt(params, 'records', 0, 2 ** 31 - 1);
  const freeHead = paramInt(params, 'freeHead', NONE, Math.max(NONE, records - 1));
  if (!built && (records !== 0 || freeHead !== NONE)) throw corrupt('an unbuilt index has tree records');
  const width = recordWidth(dim, bucketSize);
  // Every size is checked against the section lengths before anything is allocated.
  const ids = sectionArray(Float64Array, sections.get('IDS '), count, 'IDS ');
  const vectors = sectionArray(Float32Array, sections.get('VECS'), count * dim, 'VECS');
  const stat = sectionArray(Float64Array, sections.get('STAT'), 5, 'STAT', true);
  const roots = sectionArray(Int32Array, sections.get('ROOT'), built ? nTrees : 0, 'ROOT', true);
  const words = sectionArray(Int32Array, sections.get('NODE'), records * width, 'NODE', copy);
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i]!;
    if (v - v !== 0) throw corrupt(`vector value ${v} at row ${Math.floor(i / dim)} is not finite`);
  }
  const rngState = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const v = stat[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw corrupt(`RNG state word ${v}`);
    rngState[i] = v;
  }
  const maxNorm = stat[4]!;
  if (!(maxNorm >= 0) || !Number.isFinite(maxNorm)) throw corrupt(`ip lift radius ${maxNorm}`);
  const forest = Forest.fromWords(width, bucketSize, roots, words, records, freeHead, words.buffer !== bytes.buffer);
  validateForest({ ints: forest.ints, floats: forest.floats, width, bucketSize, records, freeHead, roots, count, dim });
  return { dim, metric, nTrees, bucketSize, ids, vectors, rngState, maxNorm, forest };
}
