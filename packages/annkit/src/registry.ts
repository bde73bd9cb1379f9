import { AnnkitError } from '@annkit/core';
import type { IndexFamily, VectorIndex } from '@annkit/core';
import { BUILTIN_FAMILIES } from './families.js';

/** A descriptor of any family, whatever its class and options (`any`: each family's options differ). */
export type AnyIndexFamily = IndexFamily<VectorIndex, any, string, string>;

const registered: AnyIndexFamily[] = [...BUILTIN_FAMILIES];

/** The families createIndex, load and describe know: annkit's own, then those registerFamily() added. */
export function families(): readonly AnyIndexFamily[] {
  return registered.slice();
}

/** The family whose head starts this factory token (case-insensitive), if any. */
export function familyOfToken(token: string): AnyIndexFamily | undefined {
  const upper = token.toUpperCase();
  return registered.find((f) => upper.startsWith(f.head));
}

/** The family of an .annk header kind, if any. */
export function familyOfFourcc(fourcc: string): AnyIndexFamily | undefined {
  return registered.find((f) => f.fourcc === fourcc);
}

function clash(family: AnyIndexFamily, other: AnyIndexFamily): string | null {
  if (family.kind === other.kind) return `kind "${family.kind}"`;
  if (family.fourcc === other.fourcc) return `.annk kind "${family.fourcc}"`;
  if (family.head.startsWith(other.head) || other.head.startsWith(family.head)) return `factory head "${family.head}" (overlaps "${other.head}")`;
  return null;
}

/**
 * Adds a family to createIndex, load and describe (and so to the benchmark and the browser harness).
 * Its kind, .annk kind and factory head must not collide with a known family's. Returns a function that
 * removes it again. To type its factory strings, augment RegisteredFamilies (docs/adding-a-family.md).
 */
export function registerFamily(family: AnyIndexFamily): () => void {
  if (family === null || typeof family !== 'object' || typeof family.create !== 'function') throw new AnnkitError('INVALID_ARGUMENT', 'registerFamily() takes an index family descriptor { kind, fourcc, head, parse, create, deserialize, describe, … }.');
  if (!/^[A-Z][A-Z0-9]*$/.test(family.head)) throw new AnnkitError('INVALID_ARGUMENT', `A family's head is upper-case letters and digits starting with a letter ("HNSW"), got ${JSON.stringify(family.head)}.`);
  if (typeof family.fourcc !== 'string' || family.fourcc.length !== 4) throw new AnnkitError('INVALID_ARGUMENT', `A family's fourcc is 4 characters ("HNSW", "SQ  "), got ${JSON.stringify(family.fourcc)}.`);
  for (const other of registered) {
    const what = clash(family, other);
    if (what !== null) throw new AnnkitError('INVALID_ARGUMENT', `Family "${family.kind}" has the ${what} of the registered family "${other.kind}".`);
  }
  registered.push(family);
  return () => {
    const at = registered.indexOf(family);
    if (at >= 0 && !(BUILTIN_FAMILIES as readonly AnyIndexFamily[]).includes(family)) registered.splice(at, 1);
  };
}
