import { AnnkitError } from '@annkit/core';
import type { VectorIndex } from '@annkit/core';
import { families } from './registry.js';

/** The factory string that makes an index of the same configuration (the reverse of createIndex). */
export function describe(index: VectorIndex): string {
  for (const family of families()) {
    const spec = family.describe(index);
    if (spec !== null) return spec;
  }
  const known = families().map((f) => f.kind).join(', ');
  throw new AnnkitError('INVALID_ARGUMENT', `describe() knows the registered families (${known}); got ${String((index as { kind?: unknown } | null)?.kind)}.`);
}
