import { AnnkitError } from '@annkit/core';

/** One member of a tar archive, as announced before its data. */
export interface TarEntry {
  /** Full path (ustar prefix, pax `path` and GNU long names applied). */
  readonly name: string;
  readonly size: number;
  /** Type flag: '0' regular file, '5' directory, '2' symlink, … */
  readonly type: string;
}

/** Receives one entry's data as views into the written chunks (copy them if you keep them). */
export interface TarEntrySink {
  data(chunk: Uint8Array): void;
  end?(): void;
}

/** Return a sink to receive the entry's data, or nothing to skip it. */
export type TarEntryHandler = (entry: TarEntry) => TarEntrySink | undefined | void;

const BLOCK = 512;
const HEADER = 0;
const DATA = 1;
const PADDING = 2;
const FINISHED = 3;
/** Pax and GNU long-name records are small; anything bigger is not a sane archive. */
const MAX_META = 1 << 20;

const text = new TextDecoder('utf-8');

/**
 * Streaming reader for ustar/pax/GNU tar (as produced by npm pack): write() chunks of any size, then end().
 * Entry data is passed through without copying. Checksums are verified; a truncated or damaged archive
 * throws AnnkitError('CORRUPT_DATA'). Reading stops at the first all-zero block.
 */
export class TarStreamReader {
  private readonly onEntry: TarEntryHandler;
  private state = HEADER;
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  private sink: TarEntrySink | undefined;
  private entryName = '';
  private meta: Uint8Array | null = null;
  private metaType = '';
  private metaFill = 0;
  private nextName: string | undefined;
  private nextSize: number | undefined;
  private offset = 0;

  constructor(onEntry: TarEntryHandler) {
    this.onEntry = onEntry;
  }

  write(chunk: Uint8Array): void {
    let i = 0;
    const len = chunk.length;
    while (i < len) {
      if (this.state === HEADER) {
        const take = Math.min(BLOCK - this.headerFill, len - i);
        this.header.set(chunk.subarray(i, i + take), this.headerFill);
        this.headerFill += take;
        i += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.readHeader(this.offset + i - BLOCK);
        }
      } else if (this.state === DATA) {
        const take = Math.min(this.remaining, len - i);
        const part = chunk.subarray(i, i + take);
        if (this.meta) {
          this.meta.set(part, this.metaFill);
          this.metaFill += take;
        } else this.sink?.data(part);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.endEntry();
      } else if (this.state === PADDING) {
        const take = Math.min(this.padding, len - i);
        this.padding -= take;
        i += take;
        if (this.padding === 0) this.state = HEADER;
      } else {
        i = len; // after the end-of-archive marker: ignore the record padding
      }
    }
    this.offset += len;
  }

  /** Declares the input complete; throws CORRUPT_DATA when it stopped inside a header or an entry. */
  end(): void {
    if (this.state === FINISHED || (this.state === HEADER && this.headerFill === 0)) return;
    const where = this.state === HEADER ? 'a header block' : `entry ${JSON.stringify(this.entryName)}`;
    throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: it ends inside ${where} after ${this.offset} bytes (truncated download?).`);
  }

  private readHeader(at: number): void {
    const h = this.header;
    if (h.every((b) => b === 0)) {
      this.state = FINISHED;
      return;
    }
    const stored = readNumber(h, 148, 8, at);
    let unsigned = 0;
    let signed = 0;
    for (let k = 0; k < BLOCK; k++) {
      const b = k >= 148 && k < 156 ? 0x20 : h[k]!;
      unsigned += b;
      signed += b > 127 ? b - 256 : b;
    }
    if (stored !== unsigned && stored !== signed) {
      throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: header checksum mismatch at byte ${at} (stored ${stored}, computed ${unsigned}).`);
    }
    let name = cString(h, 0, 100);
    const isUstar = h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72;
    if (isUstar) {
      const prefix = cString(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    let size = readNumber(h, 124, 12, at);
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]!);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (size > MAX_META) throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: ${size}-byte extended header at byte ${at}.`);
      this.meta = new Uint8Array(size);
      this.metaType = type;
      this.metaFill = 0;
      this.sink = undefined;
    } else {
      name = this.nextName ?? name;
      size = this.nextSize ?? size;
      this.nextName = undefined;
      this.nextSize = undefined;
      this.meta = null;
      this.sink = this.onEntry({ name, size, type }) ?? undefined;
    }
    this.entryName = name;
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.state = DATA;
    if (size === 0) this.endEntry();
  }

  private endEntry(): void {
    if (this.meta) {
      this.applyMeta(this.meta, this.metaType);
      this.meta = null;
    } else this.sink?.end?.();
    this.sink = undefined;
    this.state = this.padding > 0 ? PADDING : HEADER;
  }

  /** Pax records ("<len> key=value\n") override the next entry's path/size; GNU 'L' carries a long name. */
  private applyMeta(data: Uint8Array, type: string): void {
    if (type === 'L') this.nextName = cString(data, 0, data.length);
    if (type !== 'x') return;
    let p = 0;
    while (p < data.length) {
      let sp = p;
      while (sp < data.length && data[sp] !== 0x20) sp++;
      const recLen = Number(text.decode(data.subarray(p, sp)));
      if (!Number.isInteger(recLen) || recLen <= sp - p + 1 || p + recLen > data.length || data[p + recLen - 1] !== 0x0a) {
        throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: malformed pax record in ${JSON.stringify(this.entryName)}.`);
      }
      const record = text.decode(data.subarray(sp + 1, p + recLen - 1));
      const eq = record.indexOf('=');
      const key = record.slice(0, eq);
      const value = record.slice(eq + 1);
      if (key === 'path') this.nextName = value;
      else if (key === 'size') {
        const size = Number(value);
        if (!Number.isSafeInteger(size) || size < 0 || value.trim() === '') {
          throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: pax size ${JSON.stringify(value)} in ${JSON.stringify(this.entryName)}.`);
        }
        this.nextSize = size;
      }
      p += recLen;
    }
  }
}

function cString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return text.decode(b.subarray(off, end));
}

/** Octal field (space/NUL padded), or GNU base-256 when the high bit of the first byte is set. */
function readNumber(b: Uint8Array, off: number, len: number, at: number): number {
  if (b[off]! & 0x80) {
    if (b[off] === 0xff) throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: negative number in header at byte ${at}.`);
    let v = b[off]! & 0x7f;
    for (let k = 1; k < len; k++) v = v * 256 + b[off + k]!;
    return v;
  }
  let k = off;
  const end = off + len;
  while (k < end && b[k] === 0x20) k++;
  let v = 0;
  for (; k < end; k++) {
    const c = b[k]!;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) throw new AnnkitError('CORRUPT_DATA', `Corrupt tar archive: bad octal field in header at byte ${at + off}.`);
    v = v * 8 + (c - 0x30);
  }
  return v;
}
