import { bytesOf, corrupt, decodeJson, encodeJson, paramInt, readAnnk, sectionArray, writeAnnk } from '@annkit/core';
import type { AnnkSection, Metric } from '@annkit/core';

/*
 * The sections every flat-codes file (FLAT, SQ, PQ and the generic FCOD) is made of:
 *   PARM  JSON build parameters (each format its own; `count` always)
 *   IDS   float64 id of each slot (count)
 *   rows  the storage's packed rows by slot: 'VECS' (float32, count × dim) or 'CODE' (count × codeSize bytes)
 *   CDST  the storage's trained state (quantizer ranges, codebooks), when it has one
 *   RAWV  float32 raw rows by slot (count × dim), when the index keeps them for rerank
 */

/** Where one format keeps its rows and which optional sections it may have. */
export interface FlatCodesLayout {
  /** The header's kind fourcc ('FLAT', 'SQ', 'PQ', 'FCOD'). */
  kind: string;
  major: number;
  minor: number;
  /** PARM.format, checked on load ('annkit-sq'...). */
  format: string;
  rowsTag: 'VECS' | 'CODE';
  /** Whether the format may hold trained state (CDST) and raw rows (RAWV). */
  hasState: boolean;
  hasRaw: boolean;
}

/** What an index contributes to its file besides its parameters (all views; nothing is copied). */
export interface FlatCodesPayload {
  ids: Float64Array;
  rows: Uint8Array;
  /** Trained state; null (or empty) when there is none to write. */
  state: Uint8Array | null;
  raw: Uint8Array | null;
}

/** A file read and checked against its layout; sections not yet sized. */
export interface FlatCodesFile {
  dim: number;
  metric: Metric;
  params: Record<string, unknown>;
  sections: Map<string, Uint8Array>;
}

/** Parameters every flat-codes format but FLAT shares, validated. */
export interface CommonParams {
  count: number;
  keepVectors: boolean;
  trained: boolean;
  /** Default re-rank factor (absent in the file = 0). */
  rerank: number;
}

/** Largest re-rank factor accepted (k × rerank candidates are kept). */
export const MAX_RERANK = 1e6;

export function writeFlatCodes(layout: FlatCodesLayout, dim: number, metric: Metric, params: Record<string, unknown>, payload: FlatCodesPayload): Uint8Array {
  const sections: AnnkSection[] = [
    { tag: 'PARM', data: encodeJson(params) },
    { tag: 'IDS ', data: bytesOf(payload.ids) },
    { tag: layout.rowsTag, data: payload.rows },
  ];
  if (layout.hasState && payload.state !== null && payload.state.byteLength > 0) sections.push({ tag: 'CDST', data: payload.state });
  if (layout.hasRaw && payload.raw !== null) sections.push({ tag: 'RAWV', data: payload.raw });
  return writeAnnk({ kind: layout.kind, major: layout.major, minor: layout.minor, dim, metric }, sections);
}

export function readFlatCodes(bytes: Uint8Array, layout: FlatCodesLayout): FlatCodesFile {
  const required = ['PARM', 'IDS ', layout.rowsTag];
  const known = [...required, ...(layout.hasState ? ['CDST'] : []), ...(layout.hasRaw ? ['RAWV'] : [])];
  const file = readAnnk(bytes, { kind: layout.kind, major: layout.major, minor: layout.minor, required, known });
  const params = decodeJson(file.sections.get('PARM'), 'PARM');
  if (params.format !== layout.format) throw corrupt(`PARM.format is not "${layout.format}"`);
  return { dim: file.dim, metric: file.metric, params, sections: file.sections };
}

/** The row count, the only parameter every format has. */
export function readCount(params: Record<string, unknown>): number {
  return paramInt(params, 'count', 0, 2 ** 31 - 1);
}

/** count, keepVectors, trained and the optional rerank default, with the rules that tie them to the sections. */
export function readCommonParams(file: FlatCodesFile): CommonParams {
  const p = file.params;
  const count = readCount(p);
  if (typeof p.keepVectors !== 'boolean' || typeof p.trained !== 'boolean') throw corrupt('PARM.keepVectors / trained are not booleans');
  const rerank = p.rerank === undefined ? 0 : p.rerank;
  if (!isRerankFactor(rerank)) throw corrupt(`PARM.rerank is ${JSON.stringify(p.rerank)}, expected 0 or a factor in 1..${MAX_RERANK}`);
  if (rerank > 0 && !p.keepVectors) throw corrupt('PARM.rerank needs kept raw vectors');
  if (!p.trained && count > 0) throw corrupt(`an untrained index cannot hold ${count} vectors`);
  if (p.keepVectors !== file.sections.has('RAWV')) throw corrupt(p.keepVectors ? 'raw vectors (section "RAWV") are missing' : 'unexpected section "RAWV"');
  return { count, keepVectors: p.keepVectors, trained: p.trained, rerank };
}

/** Checks that the trained-state section is present exactly when `expected`. */
export function expectState(file: FlatCodesFile, expected: boolean, what: string): void {
  if (expected !== file.sections.has('CDST')) throw corrupt(expected ? `${what} (section "CDST") are missing` : 'unexpected section "CDST"');
}

/**
 * The payload, every section sized against `count` before anything is allocated: ids, `rowBytes` bytes of
 * rows per slot, dim floats of raw rows per slot. The state is sized later, by the storage that reads it.
 */
export function readPayload(file: FlatCodesFile, count: number, rowBytes: number, rowsTag: FlatCodesLayout['rowsTag']): FlatCodesPayload {
  const { sections } = file;
  const ids = sectionArray(Float64Array, sections.get('IDS '), count, 'IDS ');
  const rows = sectionArray(Uint8Array, sections.get(rowsTag), count * rowBytes, rowsTag);
  const raw = sections.has('RAWV') ? sectionArray(Uint8Array, sections.get('RAWV'), count * file.dim * 4, 'RAWV') : null;
  return { ids, rows, state: sections.get('CDST') ?? null, raw };
}

/** PARM with the rerank default appended when set (absent when 0, so files without one keep their bytes). */
export function withRerank(params: Record<string, unknown>, rerank: number): Record<string, unknown> {
  return rerank > 0 ? { ...params, rerank } : params;
}

export function isRerankFactor(value: unknown): value is number {
  return typeof value === 'number' && (value === 0 || (value >= 1 && value <= MAX_RERANK));
}
