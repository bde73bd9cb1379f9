import { bytesOf, corrupt, decodeJson, encodeJson, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { FREE, LIVE, MAX_LEVEL, TOMBSTONE } from './graph.js';
import type { HnswGraph } from './graph.js';
import { MAX_EF, MAX_M, MAX_PQ_NITER, isValidRatio, isValidRerank, needsTraining } from './options.js';
import type { HnswStorageKind, PqParams } from './options.js';

/*
 * HNSW in the .annk container (kind "HNSW", major 1). Every slot is written, tombstones and free slots included,
 * so a reload continues exactly where the index was (same bytes, same future).
 *   PARM  JSON: storage ('float32' | 'sq8'; 1.1 adds 'fp16' | 'pq'), keepVectors, slots, live, m,
 *               efConstruction, keepPrunedConnections, autoCompact, maxTombstoneRatio, entryPoint, maxLevel;
 *               1.1, 'pq' only: pqM, pqBits, pqNiter; 1.1, only when not 0: rerank (the default factor)
 *   RNG   4 × u32   the level generator's state
 *   IDS   f64 × slots      user id of each live slot (0 elsewhere)
 *   STAT  u8 × slots       0 free, 1 live, 2 tombstone
 *   LEVL  u8 × slots       top level of each slot
 *   LNK0  i32 × slots·(1+2m)   level-0 blocks: count, then neighbour slots, zero-padded
 *   LNKU  i32 × Σ levels·(1+m) upper blocks, slot by slot, level 1 first
 *   VECS  f32 × slots·dim  rows as stored (unit length under cosine; zeros for free slots); float32 storage,
 *                          or quantized storage with keepVectors
 *   CDST  bytes            quantized storage only: the quantizer's trained state (empty while untrained, and
 *                          always for fp16): sq8, the per-dimension scale then offset (f32 × 2·dim); pq, the
 *                          codebooks (f32 × pqM · 2^pqBits · dim/pqM)
 *   CODE  u8 × slots·codeSize   quantized storage only: the codes (zeros for free slots)
 * The header's scalar kind is 0 for float32 storage, 1 sq8, 2 fp16, 3 pq. A file is written with the lowest
 * minor version that can hold it: 1.0 for float32 and sq8 (byte for byte what 1.0 wrote), 1.1 for fp16 and pq
 * storage or a default rerank factor.
 */

export const FORMAT_MAJOR = 1;
/** The newest minor version written (1.1: fp16 and pq storage, a default rerank). */
const NEWEST_MINOR = 1;
const REQUIRED = ['PARM', 'RNG ', 'IDS ', 'STAT', 'LEVL', 'LNK0', 'LNKU'] as const;
const KNOWN = [...REQUIRED, 'VECS', 'CDST', 'CODE'] as const;
const SCALAR_KIND: Record<HnswStorageKind, number> = { float32: 0, sq8: 1, fp16: 2, pq: 3 };
const STORAGES = Object.keys(SCALAR_KIND) as HnswStorageKind[];

export interface HnswParams {
  storage: HnswStorageKind;
  /** PQ settings ('pq' storage only). */
  pq: PqParams | null;
  keepVectors: boolean;
  /** The default rerank factor of searches (0: none). */
  rerank: number;
  m: number;
  efConstruction: number;
  keepPrunedConnections: boolean;
  autoCompact: boolean;
  maxTombstoneRatio: number;
}

/** Everything a saved index holds, validated. */
export interface DecodedHnsw extends HnswParams {
  dim: number;
  metric: Metric;
  slots: number;
  live: number;
  entryPoint: number;
  maxLevel: number;
  rngState: Uint32Array;
  ids: Float64Array;
  state: Uint8Array;
  levels: Uint8Array;
  links0: Int32Array;
  upper: Int32Array;
  /** Float rows, packed (float32 storage, or quantized storage with keepVectors), else null. */
  vectors: Float32Array | null;
  /** Quantized storage: the packed codes, and the quantizer's state (empty while untrained). */
  codes: Uint8Array | null;
  codecState: Uint8Array | null;
}

/** What the rows contribute to a file, as bytes. */
export interface StoragePayload {
  /** Packed float rows (VECS). */
  vectors: Uint8Array | null;
  /** Packed codes (CODE). */
  codes: Uint8Array | null;
  /** The quantizer's trained state (CDST). */
  codecState: Uint8Array | null;
}

/** Bytes per stored code of a quantized storage. */
export function codeSizeOf(storage: HnswStorageKind, dim: number, pq: PqParams | null): number {
  if (storage === 'pq') return pq!.nbits === 8 ? pq!.m : (pq!.m + 1) >> 1;
  return storage === 'fp16' ? 2 * dim : dim;
}

export function encodeHnsw(dim: number, metric: Metric, params: HnswParams, graph: HnswGraph, idsBySlot: Float64Array, rngState: Uint32Array, payload: StoragePayload): Uint8Array {
  const slots = graph.slotCount;
  const ids = new Float64Array(slots);
  for (let s = 0; s < slots; s++) if (graph.state[s] === LIVE) ids[s] = idsBySlot[s]!;
  const parm: Record<string, unknown> = {
    format: 'annkit-hnsw',
    storage: params.storage,
    keepVectors: params.keepVectors,
    slots,
    live: graph.liveCount,
    m: params.m,
    efConstruction: params.efConstruction,
    keepPrunedConnections: params.keepPrunedConnections,
    autoCompact: params.autoCompact,
    maxTombstoneRatio: params.maxTombstoneRatio,
    entryPoint: graph.entryPoint,
    maxLevel: graph.maxLevel,
  };
  if (params.pq !== null) Object.assign(parm, { pqM: params.pq.m, pqBits: params.pq.nbits, pqNiter: params.pq.niter });
  if (params.rerank > 0) parm.rerank = params.rerank;
  const sections = [
    { tag: 'PARM', data: encodeJson(parm) },
    { tag: 'RNG ', data: bytesOf(rngState) },
    { tag: 'IDS ', data: bytesOf(ids) },
    { tag: 'STAT', data: graph.state.slice(0, slots) },
    { tag: 'LEVL', data: graph.levels.slice(0, slots) },
    { tag: 'LNK0', data: bytesOf(graph.packedLevel0()) },
    { tag: 'LNKU', data: bytesOf(graph.packedUpper()) },
  ];
  if (payload.vectors !== null) sections.push({ tag: 'VECS', data: payload.vectors });
  if (payload.codecState !== null) sections.push({ tag: 'CDST', data: payload.codecState });
  if (payload.codes !== null) sections.push({ tag: 'CODE', data: payload.codes });
  const minor = (params.storage === 'float32' || params.storage === 'sq8') && params.rerank === 0 ? 0 : 1;
  return writeAnnk({ kind: 'HNSW', major: FORMAT_MAJOR, minor, dim, metric, scalarKind: SCALAR_KIND[params.storage] }, sections);
}

/** Reads and checks every structural invariant the search relies on, so a damaged file can't crash or hang it. */
export function decodeHnsw(bytes: Uint8Array): DecodedHnsw {
  const file = readAnnk(bytes, { kind: 'HNSW', major: FORMAT_MAJOR, minor: NEWEST_MINOR, required: REQUIRED, known: KNOWN });
  const sec = file.sections;
  const p = decodeJson(sec.get('PARM'), 'PARM');
  if (p.format !== 'annkit-hnsw') throw corrupt(`PARM.format is ${JSON.stringify(p.format)}`);
  const storage = p.storage as HnswStorageKind;
  if (!STORAGES.includes(storage)) throw corrupt(`PARM.storage is ${JSON.stringify(storage)}`);
  if (file.scalarKind !== SCALAR_KIND[storage]) throw corrupt(`scalar kind ${file.scalarKind} does not match storage ${storage}`);
  if (typeof p.keepPrunedConnections !== 'boolean' || typeof p.autoCompact !== 'boolean' || typeof p.keepVectors !== 'boolean') throw corrupt('PARM flags are not booleans');
  const keepVectors = p.keepVectors;
  const quantized = storage !== 'float32';
  if (keepVectors && !quantized) throw corrupt('keepVectors without quantized storage');
  const pq = storage === 'pq' ? decodePq(p, file.dim) : null;
  const rerank = p.rerank ?? 0;
  if (!isValidRerank(rerank) || (rerank > 0 && !keepVectors && quantized)) throw corrupt(`PARM.rerank is ${JSON.stringify(p.rerank)}`);
  if (!isValidRatio(p.maxTombstoneRatio)) throw corrupt(`PARM.maxTombstoneRatio is ${JSON.stringify(p.maxTombstoneRatio)}`);
  const m = paramInt(p, 'm', 2, MAX_M);
  const efConstruction = paramInt(p, 'efConstruction', 1, MAX_EF);
  const slots = paramInt(p, 'slots', 0, 2 ** 31 - 1);
  const live = paramInt(p, 'live', 0, slots);
  const entryPoint = paramInt(p, 'entryPoint', -1, slots - 1);
  const maxLevel = paramInt(p, 'maxLevel', -1, MAX_LEVEL);
  const stride0 = 2 * m + 1;
  const strideUp = m + 1;

  // Sizes are checked against the section lengths before anything is allocated.
  const rngState = sectionArray(Uint32Array, sec.get('RNG '), 4, 'RNG ', true);
  const ids = sectionArray(Float64Array, sec.get('IDS '), slots, 'IDS ');
  const state = sectionArray(Uint8Array, sec.get('STAT'), slots, 'STAT');
  const levels = sectionArray(Uint8Array, sec.get('LEVL'), slots, 'LEVL');
  const links0 = sectionArray(Int32Array, sec.get('LNK0'), slots * stride0, 'LNK0');
  let upperInts = 0;
  for (let s = 0; s < slots; s++) upperInts += levels[s]! * strideUp;
  const upper = sectionArray(Int32Array, sec.get('LNKU'), upperInts, 'LNKU');
  const hasVectors = !quantized || keepVectors;
  const vectors = hasVectors ? sectionArray(Float32Array, sec.get('VECS'), slots * file.dim, 'VECS') : null;
  if (!hasVectors && sec.has('VECS')) throw corrupt('section "VECS" is present without keepVectors');
  let codes: Uint8Array | null = null;
  let codecState: Uint8Array | null = null;
  const codeSize = quantized ? codeSizeOf(storage, file.dim, pq) : 0;
  if (quantized) {
    codecState = sec.get('CDST') ?? null;
    if (codecState === null) throw corrupt('section "CDST" is missing');
    if (codecState.byteLength === 0 && needsTraining(storage) && slots > 0) throw corrupt(`an untrained ${storage} index holds vectors`);
    codes = sectionArray(Uint8Array, sec.get('CODE'), slots * codeSize, 'CODE');
  } else if (sec.has('CDST') || sec.has('CODE')) {
    throw corrupt('quantizer sections in a float32 index');
  }

  checkSlots(slots, live, state, levels, ids);
  if (slots > 0 && state[slots - 1] === FREE) throw corrupt('the last slot is free');
  checkEntry(slots, entryPoint, maxLevel, state, levels);
  checkLinks(links0, stride0, 2 * m, slots, state, levels);
  let at = 0;
  for (let s = 0; s < slots; s++) {
    for (let l = 1; l <= levels[s]!; l++) {
      checkBlock(upper, at, m, s, slots, state, levels, l);
      at += strideUp;
    }
  }
  if (vectors !== null) checkVectors(vectors, file.dim, state);
  if (codes !== null) checkCodes(codes, codeSize, state);
  return {
    dim: file.dim,
    metric: file.metric,
    storage,
    pq,
    keepVectors,
    rerank,
    m,
    efConstruction,
    keepPrunedConnections: p.keepPrunedConnections,
    autoCompact: p.autoCompact,
    maxTombstoneRatio: p.maxTombstoneRatio,
    slots,
    live,
    entryPoint,
    maxLevel,
    rngState,
    ids,
    state,
    levels,
    links0,
    upper,
    vectors,
    codes,
    codecState,
  };
}

function decodePq(p: Record<string, unknown>, dim: number): PqParams {
  const m = paramInt(p, 'pqM', 1, dim);
  if (dim % m !== 0) throw corrupt(`PARM.pqM = ${m} does not divide dim ${dim}`);
  const nbits = p.pqBits;
  if (nbits !== 4 && nbits !== 8) throw corrupt(`PARM.pqBits is ${JSON.stringify(nbits)}`);
  return { m, nbits, niter: paramInt(p, 'pqNiter', 1, MAX_PQ_NITER) };
}

function checkSlots(slots: number, live: number, state: Uint8Array, levels: Uint8Array, ids: Float64Array): void {
  let liveSeen = 0;
  const seen = new Set<number>();
  for (let s = 0; s < slots; s++) {
    const st = state[s]!;
    if (st !== FREE && st !== LIVE && st !== TOMBSTONE) throw corrupt(`slot ${s} has state ${st}`);
    if (levels[s]! > MAX_LEVEL || (st === FREE && levels[s] !== 0)) throw corrupt(`slot ${s} has level ${levels[s]}`);
    const id = ids[s]!;
    if (st !== LIVE) {
      if (!Object.is(id, 0)) throw corrupt(`slot ${s} is not live but holds id ${id}`);
      continue;
    }
    liveSeen++;
    if (!Number.isSafeInteger(id) || id < 0) throw corrupt(`id ${id} at slot ${s} is not a non-negative safe integer`);
    if (seen.has(id)) throw corrupt(`id ${id} appears twice`);
    seen.add(id);
  }
  if (liveSeen !== live) throw corrupt(`${liveSeen} live slots, PARM.live says ${live}`);
}

function checkEntry(slots: number, entryPoint: number, maxLevel: number, state: Uint8Array, levels: Uint8Array): void {
  if (slots === 0) {
    if (entryPoint !== -1 || maxLevel !== -1) throw corrupt('an empty graph has an entry point');
    return;
  }
  if (entryPoint < 0 || state[entryPoint] === FREE || levels[entryPoint] !== maxLevel) throw corrupt(`entry point ${entryPoint} (max level ${maxLevel}) is not a node of that level`);
}

function checkLinks(arr: Int32Array, stride: number, max: number, slots: number, state: Uint8Array, levels: Uint8Array): void {
  for (let s = 0; s < slots; s++) checkBlock(arr, s * stride, max, s, slots, state, levels, 0);
}

/** A block: count ≤ max, neighbours are other non-free slots present at this level, zeros after the count. */
function checkBlock(arr: Int32Array, off: number, max: number, owner: number, slots: number, state: Uint8Array, levels: Uint8Array, level: number): void {
  const count = arr[off]!;
  if (count < 0 || count > max || (state[owner] === FREE && count !== 0)) throw corrupt(`slot ${owner} has ${count} links at level ${level}`);
  for (let j = 1; j <= max; j++) {
    const t = arr[off + j]!;
    if (j > count) {
      if (t !== 0) throw corrupt(`slot ${owner} has data past its links at level ${level}`);
      continue;
    }
    if (t < 0 || t >= slots || t === owner || state[t] === FREE || levels[t]! < level) throw corrupt(`slot ${owner} links to ${t} at level ${level}`);
  }
}

function checkVectors(vectors: Float32Array, dim: number, state: Uint8Array): void {
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i]!;
    if (v - v !== 0) throw corrupt(`vector value ${v} at row ${Math.floor(i / dim)} is not finite`);
    if (state[Math.floor(i / dim)] === FREE && v !== 0) throw corrupt(`free slot ${Math.floor(i / dim)} holds a vector`);
  }
}

function checkCodes(codes: Uint8Array, codeSize: number, state: Uint8Array): void {
  for (let i = 0; i < codes.length; i++) if (codes[i] !== 0 && state[Math.floor(i / codeSize)] === FREE) throw corrupt(`free slot ${Math.floor(i / codeSize)} holds a code`);
}
