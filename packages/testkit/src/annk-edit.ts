import { readAnnk, writeAnnk } from '@annkit/core';
import type { AnnkFile, AnnkHeader } from '@annkit/core';

/** The fourcc kind in an ANNK header. */
export function readKind(bytes: Uint8Array): string {
  return String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!);
}

/** The section tags listed in an ANNK section table, in file order. */
export function sectionTags(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(22, true);
  const tags: string[] = [];
  for (let i = 0; i < count; i++) {
    const e = 32 + i * 32;
    tags.push(String.fromCharCode(bytes[e]!, bytes[e + 1]!, bytes[e + 2]!, bytes[e + 3]!));
  }
  return tags;
}

/** Reads any well-formed ANNK file, whatever its kind and sections (for tests that craft files). */
export function readAnyAnnk(bytes: Uint8Array): AnnkFile {
  return readAnnk(bytes, { kind: readKind(bytes), major: 0xffff, required: [], known: sectionTags(bytes) });
}

/**
 * Rewrites a file with header fields and section payloads replaced, and every checksum re-sealed, so that
 * a family's own decoder (not the CRC check) meets the edit.
 */
export function rewriteAnnk(bytes: Uint8Array, header: Partial<AnnkHeader>, section: (tag: string, data: Uint8Array) => Uint8Array = (_t, d) => d): Uint8Array {
  const file = readAnyAnnk(bytes);
  return writeAnnk(
    { kind: file.kind, major: file.major, minor: file.minor, flags: file.flags, dim: file.dim, metric: file.metric, scalarKind: file.scalarKind, ...header },
    [...file.sections].map(([tag, data]) => ({ tag, data: section(tag, data) })),
  );
}
