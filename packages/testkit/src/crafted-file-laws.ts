import { describe, expect, it } from 'vitest';
import { AnnkitError, decodeJson, encodeJson } from '@annkit/core';
import type { VectorIndex } from '@annkit/core';
import { randomRows } from './arbitraries.js';
import type { Dataset } from './arbitraries.js';
import { readAnyAnnk, rewriteAnnk } from './annk-edit.js';
import { metricsOf } from './compare.js';
import { buildFrom, createEmpty, expectCode, ownedHeapOf, smallIndex } from './helpers.js';
import type { IndexLawSpec } from './spec.js';

/**
 * Files that pass every checksum but lie (re-sealed after the edit, so the family's decoder meets them).
 * Registered by describeIndexLaws, so every family runs it.
 */
export function describeCraftedFileLaws<I extends VectorIndex>(spec: IndexLawSpec<I>): void {
  const metrics = metricsOf(spec.metrics);

  describe('crafted files with valid checksums', () => {
    it('issue 12 item 5: a file whose metric byte is changed from l2 or ip to cosine is CORRUPT_DATA (its rows are not unit length)', () => {
      if (!metrics.includes('cosine')) return;
      for (const metric of metrics.filter((m) => m !== 'cosine')) {
        const dim = 6;
        const data: Dataset = { dim, metric, ids: Array.from({ length: 30 }, (_, i) => i), vectors: randomRows(30, dim, 41, 3), queries: [] };
        const bytes = buildFrom(spec, data).index.serialize();
        try {
          expectCode(() => spec.deserialize(rewriteAnnk(bytes, { metric: 'cosine' })), 'CORRUPT_DATA');
        } catch (err) {
          throw new Error(`${metric} → cosine: ${(err as Error).message}`);
        }
      }
    });

    it('issue 12 item 6: crafted files under 64 KB (huge header dim, huge parameters) load and serve a first search and add within 16 MB', () => {
      const metric = metrics[0]!;
      const bases = [createEmpty(spec, 4, metric).serialize(), smallIndex(spec, metric).index.serialize()];
      let loaded = 0;
      let worst = { bytes: 0, what: '' };
      for (const [b, base] of bases.entries()) {
        for (const [what, bytes] of craftedVariants(base)) {
          expect(bytes.length, what).toBeLessThan(64 * 1024);
          const used = firstUseAllocation(() => spec.deserialize(bytes));
          if (used === null) continue;
          loaded++;
          if (used > worst.bytes) worst = { bytes: used, what: `file ${b}, ${what}` };
        }
      }
      expect(worst.bytes, `${worst.what} allocated ${(worst.bytes / 2 ** 20).toFixed(1)} MB`).toBeLessThanOrEqual(ALLOCATION_BOUND);
      // The unedited files and the plain dim changes of the empty one are among the loadable variants.
      expect(loaded).toBeGreaterThan(0);
    });
  });
}

/** What load() and the first search and add of a file under 64 KB may allocate together. */
export const ALLOCATION_BOUND = 16 * 2 ** 20;

/** The file as is, with its header dim raised, and with each numeric PARM value raised; checksums re-sealed. */
function* craftedVariants(bytes: Uint8Array): Generator<[string, Uint8Array]> {
  yield ['unedited', bytes];
  for (const dim of [4096, 65536]) yield [`header dim ${dim}`, rewriteAnnk(bytes, { dim })];
  const params = decodeJson(readAnyAnnk(bytes).sections.get('PARM'), 'PARM');
  for (const key of Object.keys(params)) {
    if (typeof params[key] !== 'number') continue;
    for (const value of [2 ** 12, 2 ** 16, 2 ** 20, 2 ** 31 - 1]) {
      yield [`PARM.${key} = ${value}`, rewriteAnnk(bytes, {}, (tag, data) => (tag === 'PARM' ? encodeJson({ ...params, [key]: value }) : data))];
    }
  }
}

/** Bytes of ArrayBuffers outside the V8 heap (Node); 0 where the runtime does not say (browsers). */
function arrayBufferBytes(): number {
  return (globalThis as { process?: { memoryUsage?: () => { arrayBuffers: number } } }).process?.memoryUsage?.().arrayBuffers ?? 0;
}

/**
 * Loads an index and runs a first search and add on it (typed rejections are fine); returns the bytes it
 * then holds in the kernel heap plus the growth of the process's ArrayBuffer memory, or null when the load
 * was rejected (with a typed error: anything else fails the test).
 */
export function firstUseAllocation(load: () => VectorIndex): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const arrayBuffersBefore = arrayBufferBytes();
  let index: VectorIndex;
  try {
    index = load();
  } catch (err) {
    if (err instanceof AnnkitError) return null;
    throw err;
  }
  for (const op of [() => index.search(randomRows(1, index.dim, 3, 1), 3), () => index.add(2 ** 40, randomRows(1, index.dim, 4, 1))]) {
    try {
      op();
    } catch (err) {
      if (!(err instanceof AnnkitError)) throw err;
    }
  }
  gc?.();
  const used = (ownedHeapOf(index)?.liveBytes ?? 0) + Math.max(0, arrayBufferBytes() - arrayBuffersBefore);
  index.free();
  return used;
}
