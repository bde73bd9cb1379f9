import { crc32 } from './crc32.js';
import { AnnkitError, corrupt } from './errors.js';
import { metricCode, metricFromCode } from './metric.js';
import type { Metric } from './metric.js';

/*
 * The .annk container, little-endian throughout.
 *   Header (32 bytes): magic "ANNK" | kind fourcc | major u16 | minor u16 | flags u32 | dim u32 |
 *                      metric u8 | scalar kind u8 | section count u16 | CRC32(section table) | CRC32(bytes 0..28)
 *   Section table: count × 32 bytes: tag fourcc | flags u32 (bit 0 = optional) | offset u64 | length u64 | CRC32 | 0
 *   Sections: each starts on a 16-byte boundary so typed-array views can be made in place.
 * The header CRC is checked before the version, so a damaged version field reads as CORRUPT_DATA and a
 * genuine newer file (valid CRC) as UNSUPPORTED_VERSION. Every offset and length is checked against the
 * bytes present before anything is allocated.
 */

export const HEADER_BYTES = 32;
export const SECTION_ENTRY_BYTES = 32;
const MAGIC = 0x4b4e4e41; // "ANNK" read as little-endian u32
const MAX_SECTIONS = 256;
export const SECTION_OPTIONAL = 1;

export interface AnnkHeader {
  kind: string;
  major: number;
  minor: number;
  flags?: number;
  dim: number;
  metric: Metric;
  scalarKind?: number;
}

export interface AnnkSection {
  tag: string;
  data: Uint8Array;
  optional?: boolean;
}

export interface AnnkFile extends Required<AnnkHeader> {
  /** Section payloads as views into the input bytes (no copy). */
  sections: Map<string, Uint8Array>;
}

export interface AnnkExpectation {
  kind: string;
  /** Highest major version this reader understands. */
  major: number;
  /**
   * The newest minor version (of `major`) this reader knows in full. A file no newer than that which needs a
   * section the reader does not know was not written by a newer annkit: it is CORRUPT_DATA (e.g. its header's
   * kind was changed). Absent: such a section is always UNSUPPORTED_FEATURE.
   */
  minor?: number;
  /** Sections that must be present. */
  required: readonly string[];
  /** Sections this reader understands; an unknown section without the optional bit is UNSUPPORTED_FEATURE. */
  known: readonly string[];
}

function fourcc(tag: string): number {
  if (tag.length !== 4) throw new AnnkitError('INVALID_ARGUMENT', `Section tags are 4 characters, got "${tag}".`);
  return tag.charCodeAt(0) | (tag.charCodeAt(1) << 8) | (tag.charCodeAt(2) << 16) | (tag.charCodeAt(3) << 24);
}

function tagString(view: DataView, offset: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += String.fromCharCode(view.getUint8(offset + i));
  return s;
}

/** Writes the container: header, section table, 16-byte aligned sections. */
export function writeAnnk(header: AnnkHeader, sections: readonly AnnkSection[]): Uint8Array {
  if (sections.length > MAX_SECTIONS) throw new AnnkitError('INVALID_ARGUMENT', `At most ${MAX_SECTIONS} sections.`);
  const tableEnd = HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES;
  let cursor = align16(tableEnd);
  const offsets: number[] = [];
  for (const s of sections) {
    offsets.push(cursor);
    cursor = align16(cursor + s.data.byteLength);
  }
  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, fourcc(header.kind.padEnd(4, ' ')), true);
  view.setUint16(8, header.major, true);
  view.setUint16(10, header.minor, true);
  view.setUint32(12, header.flags ?? 0, true);
  view.setUint32(16, header.dim, true);
  view.setUint8(20, metricCode(header.metric));
  view.setUint8(21, header.scalarKind ?? 0);
  view.setUint16(22, sections.length, true);
  sections.forEach((s, i) => {
    const e = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const offset = offsets[i]!;
    view.setUint32(e, fourcc(s.tag), true);
    view.setUint32(e + 4, s.optional ? SECTION_OPTIONAL : 0, true);
    setU64(view, e + 8, offset);
    setU64(view, e + 16, s.data.byteLength);
    view.setUint32(e + 24, crc32(s.data), true);
    out.set(s.data, offset);
  });
  view.setUint32(24, crc32(out.subarray(HEADER_BYTES, tableEnd)), true);
  view.setUint32(28, crc32(out.subarray(0, 28)), true);
  return out;
}

/** Reads and fully validates a container; section payloads are views into `bytes`. */
export function readAnnk(bytes: Uint8Array, expect: AnnkExpectation): AnnkFile {
  if (!(bytes instanceof Uint8Array)) throw new AnnkitError('INVALID_ARGUMENT', `deserialize() takes a Uint8Array.`);
  if (bytes.byteLength < HEADER_BYTES) throw corrupt(`${bytes.byteLength} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt('the bytes do not start with the "ANNK" magic');
  if (view.getUint32(28, true) !== crc32(bytes.subarray(0, 28))) throw corrupt('header checksum mismatch');
  const kind = tagString(view, 4).trimEnd();
  const major = view.getUint16(8, true);
  const minor = view.getUint16(10, true);
  if (kind !== expect.kind.trimEnd()) {
    throw new AnnkitError('INVALID_ARGUMENT', `These bytes hold a "${kind}" index, not "${expect.kind.trimEnd()}"; use the matching class (or annkit's load()).`);
  }
  if (major > expect.major) {
    throw new AnnkitError('UNSUPPORTED_VERSION', `The data is format version ${major}.${minor} of "${kind}", newer than this reader (major ${expect.major}); upgrade annkit.`);
  }
  const dim = view.getUint32(16, true);
  const metric = metricFromCode(view.getUint8(20));
  if (metric === undefined) throw corrupt(`unknown metric code ${view.getUint8(20)}`);
  if (dim < 1 || dim > 65536) throw corrupt(`dimension ${dim} out of range`);
  const count = view.getUint16(22, true);
  if (count > MAX_SECTIONS) throw corrupt(`${count} sections`);
  const tableEnd = HEADER_BYTES + count * SECTION_ENTRY_BYTES;
  if (tableEnd > bytes.byteLength) throw corrupt('section table runs past the end');
  if (view.getUint32(24, true) !== crc32(bytes.subarray(HEADER_BYTES, tableEnd))) throw corrupt('section table checksum mismatch');

  const sections = new Map<string, Uint8Array>();
  let unknownRequired: string | null = null;
  let previousEnd = tableEnd;
  for (let i = 0; i < count; i++) {
    const e = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const tag = tagString(view, e);
    const flags = view.getUint32(e + 4, true);
    const offset = getU64(view, e + 8);
    const length = getU64(view, e + 16);
    if (offset < previousEnd || offset % 16 !== 0 || length > bytes.byteLength || offset + length > bytes.byteLength) {
      throw corrupt(`section "${tag}" lies outside the data (offset ${offset}, length ${length}, ${bytes.byteLength} bytes present)`);
    }
    if (!allZero(bytes, previousEnd, offset)) throw corrupt(`non-zero bytes in the padding before section "${tag}"`);
    previousEnd = offset + length;
    const data = bytes.subarray(offset, offset + length);
    if (view.getUint32(e + 24, true) !== crc32(data)) throw corrupt(`section "${tag}" checksum mismatch`);
    if (sections.has(tag)) throw corrupt(`section "${tag}" appears twice`);
    if (!expect.known.includes(tag)) {
      if (flags & SECTION_OPTIONAL) continue;
      unknownRequired ??= tag;
      continue;
    }
    sections.set(tag, data);
  }
  // Every byte is accounted for: a flip anywhere, even in padding, reads as corruption.
  if (bytes.byteLength !== align16(previousEnd)) throw corrupt(`${bytes.byteLength} bytes present, the section table describes ${align16(previousEnd)}`);
  if (!allZero(bytes, previousEnd, bytes.byteLength)) throw corrupt('non-zero bytes in the trailing padding');
  const missing = expect.required.find((tag) => !sections.has(tag));
  // A newer writer adds sections to a file that still holds all of ours, under a newer version; sections of
  // another kind in place of ours, or in a version we know in full, mean the header's kind was changed (a
  // damaged or crafted header), which no upgrade would read.
  const knownVersion = expect.minor !== undefined && (major < expect.major || minor <= expect.minor);
  if (unknownRequired !== null && (missing !== undefined || knownVersion)) {
    throw corrupt(`the header says "${kind}" format ${major}.${minor}, but the data holds section "${unknownRequired}", which no "${kind}" index of that version has (was the header's kind changed?)`);
  }
  if (missing !== undefined) throw corrupt(`required section "${missing}" is missing`);
  if (unknownRequired !== null) {
    throw new AnnkitError('UNSUPPORTED_FEATURE', `The data needs section "${unknownRequired}", which this version of annkit does not understand; upgrade annkit.`);
  }
  return { kind, major, minor, flags: view.getUint32(12, true), dim, metric, scalarKind: view.getUint8(21), sections };
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function align16(n: number): number {
  return (n + 15) & ~15;
}

function setU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
  view.setUint32(offset + 4, Math.floor(value / 4294967296), true);
}

function getU64(view: DataView, offset: number): number {
  const lo = view.getUint32(offset, true);
  const hi = view.getUint32(offset + 4, true);
  // Anything past 2^53 cannot be a real length in memory; map it to a value that fails the bounds check.
  return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 4294967296 + lo;
}

// ---- Section payload helpers -------------------------------------------------------------------

/** A typed-array constructor (Float32Array, Int32Array, …) usable by sectionArray. */
export type ViewCtor<T> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number };

/**
 * A typed view of a section with exactly `count` elements (checked), made in place when the bytes are
 * aligned and copied otherwise. Pass `copy` when the caller will mutate it.
 */
export function sectionArray<T extends ArrayBufferView>(ctor: ViewCtor<T>, data: Uint8Array | undefined, count: number, tag: string, copy = false): T {
  const size = ctor.BYTES_PER_ELEMENT;
  if (data === undefined) throw corrupt(`section "${tag}" is missing`);
  if (data.byteLength !== count * size) throw corrupt(`section "${tag}" holds ${data.byteLength} bytes, expected ${count * size}`);
  if (!copy && data.byteOffset % size === 0) return new ctor(data.buffer, data.byteOffset, count);
  const out = new ctor(count);
  new Uint8Array(out.buffer, out.byteOffset, data.byteLength).set(data);
  return out;
}

/** Bytes of any typed array (a view, no copy). */
export function bytesOf(arr: ArrayBufferView): Uint8Array {
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Parses a JSON section into a plain object; anything else is CORRUPT_DATA. */
export function decodeJson(data: Uint8Array | undefined, tag: string): Record<string, unknown> {
  if (data === undefined) throw corrupt(`section "${tag}" is missing`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    throw corrupt(`section "${tag}" is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw corrupt(`section "${tag}" is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Reads an integer field of a parameter object, checking its range (CORRUPT_DATA otherwise). */
export function paramInt(params: Record<string, unknown>, name: string, min: number, max: number): number {
  const v = params[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw corrupt(`parameter "${name}" is ${JSON.stringify(v)}, expected an integer in ${min}..${max}`);
  return v;
}
