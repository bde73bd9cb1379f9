import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AnnkitError } from '@annkit/core';
import { checkLimit, parseVecs } from '../vecs-read.js';
import type { Vecs } from '../vecs-read.js';
import { BVECS, FVECS, IVECS } from '../vecs-kind.js';
import type { VecsArray, VecsKind } from '../vecs-kind.js';
import { encodeVecs } from '../vecs-write.js';
import { writeFileAtomic } from './atomic.js';

export interface VecsFileOptions {
  /** Read only the first `limit` rows: only those bytes are read from disk. */
  limit?: number;
}

export function readFvecs(path: string, opts?: VecsFileOptions): Promise<Vecs<Float32Array>> {
  return readVecsFile(path, FVECS, opts);
}

export function readIvecs(path: string, opts?: VecsFileOptions): Promise<Vecs<Int32Array>> {
  return readVecsFile(path, IVECS, opts);
}

export function readBvecs(path: string, opts?: VecsFileOptions): Promise<Vecs<Uint8Array>> {
  return readVecsFile(path, BVECS, opts);
}

/** Writes atomically (temporary file, then rename). */
export function writeFvecs(path: string, data: Float32Array, dim: number): Promise<void> {
  return writeFileAtomic(path, encodeVecs(data, dim, FVECS));
}

export function writeIvecs(path: string, data: Int32Array, dim: number): Promise<void> {
  return writeFileAtomic(path, encodeVecs(data, dim, IVECS));
}

export function writeBvecs(path: string, data: Uint8Array, dim: number): Promise<void> {
  return writeFileAtomic(path, encodeVecs(data, dim, BVECS));
}

/** Row count and dim from the first header and the file size, without reading the rows. */
export async function vecsFileShape(path: string, kind: 'fvecs' | 'ivecs' | 'bvecs'): Promise<{ n: number; dim: number }> {
  const k = kind === 'fvecs' ? FVECS : kind === 'ivecs' ? IVECS : BVECS;
  const fh = await open(path, 'r');
  try {
    return await shape(fh, path, k);
  } finally {
    await fh.close();
  }
}

async function readVecsFile<T extends VecsArray>(path: string, kind: VecsKind<T>, opts?: VecsFileOptions): Promise<Vecs<T>> {
  const limit = checkLimit(opts?.limit);
  const fh = await open(path, 'r');
  try {
    const { n, dim } = await shape(fh, path, kind);
    const rows = Math.min(n, limit);
    const bytes = new Uint8Array(rows * (4 + dim * kind.elemBytes));
    await readFully(fh, bytes, path);
    try {
      // Decoding in place keeps one buffer per file instead of two.
      return parseVecs(bytes, kind, { reuseInput: true });
    } catch (err) {
      if (err instanceof AnnkitError) throw new AnnkitError(err.code, `${path}: ${err.message}`, { cause: err });
      throw err;
    }
  } finally {
    await fh.close();
  }
}

async function shape(fh: FileHandle, path: string, kind: VecsKind<VecsArray>): Promise<{ n: number; dim: number }> {
  const { size } = await fh.stat();
  if (size === 0) return { n: 0, dim: 0 };
  if (size < 4) throw corruptFile(path, kind, `${size} bytes is shorter than one row header`);
  const head = new Uint8Array(4);
  await readFully(fh, head, path);
  const dim = new DataView(head.buffer).getInt32(0, true);
  if (dim < 1) throw corruptFile(path, kind, `the first row declares dim ${dim}`);
  const rowBytes = 4 + dim * kind.elemBytes;
  if (size % rowBytes !== 0) {
    throw corruptFile(path, kind, `${size} bytes is not a whole number of ${rowBytes}-byte rows (dim ${dim}); truncated, or not a ${kind.name} file`);
  }
  return { n: size / rowBytes, dim };
}

/** Reads bytes.length bytes from the start of the file (read() may return short counts). */
async function readFully(fh: FileHandle, bytes: Uint8Array, path: string): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const { bytesRead } = await fh.read(bytes, off, bytes.length - off, off);
    if (bytesRead === 0) throw new AnnkitError('CORRUPT_DATA', `${path}: the file ended after ${off} bytes while reading ${bytes.length}.`);
    off += bytesRead;
  }
}

function corruptFile(path: string, kind: { name: string }, what: string): AnnkitError {
  return new AnnkitError('CORRUPT_DATA', `${path}: corrupt ${kind.name} data: ${what}.`);
}
