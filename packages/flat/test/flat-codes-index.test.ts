import { Float32Storage, decodeJson, encodeJson, readAnnk, writeAnnk } from '@annkit/core';
import { describe, expect, it } from 'vitest';
import { FlatCodesIndex } from '@annkit/flat';
import type { StorageMaker } from '@annkit/flat';
import { bytesEqual, expectCode, randomRows } from '@annkit/testkit';

const floatRows: StorageMaker<Float32Storage> = (dim, metric, kernels, initialCapacity) => new Float32Storage(dim, metric, kernels, { initialCapacity });

/** Float rows whose training fails (a quantizer that rejects its samples). */
class FailingTraining extends Float32Storage {
  override train(): void {
    throw new Error('training failed');
  }
}

/** The same file with its PARM replaced (checksums recomputed). */
function withParams(bytes: Uint8Array, edit: (params: Record<string, unknown>) => Record<string, unknown>): Uint8Array {
  const file = readAnnk(bytes, { kind: 'FCOD', major: 1, required: [], known: ['PARM', 'IDS ', 'CODE', 'CDST', 'RAWV'] });
  const params = edit(decodeJson(file.sections.get('PARM'), 'PARM'));
  const sections = [...file.sections].map(([tag, data]) => ({ tag, data: tag === 'PARM' ? encodeJson(params) : data }));
  return writeAnnk({ kind: file.kind, major: file.major, minor: file.minor, dim: file.dim, metric: file.metric }, sections);
}

describe('FlatCodesIndex', () => {
  const dim = 6;
  const rows = randomRows(40, dim, 3, 2);
  const ids = Array.from({ length: 40 }, (_, i) => i * 2);
  const build = (rerank: number) => {
    const index = new FlatCodesIndex({ dim, metric: 'cosine', storage: floatRows, keepVectors: true, rerank });
    index.addBatch(ids, rows);
    return index;
  };

  it('the rerank option is validated: a factor ≥ 1 or 0, only with kept vectors', () => {
    for (const rerank of [0.5, -1, NaN, Infinity, 2e6, '2' as never]) {
      expectCode(() => new FlatCodesIndex({ dim, metric: 'l2', storage: floatRows, keepVectors: true, rerank }), 'INVALID_ARGUMENT');
    }
    expectCode(() => new FlatCodesIndex({ dim, metric: 'l2', storage: floatRows, rerank: 2 }), 'INVALID_ARGUMENT');
    expect(new FlatCodesIndex({ dim, metric: 'l2', storage: floatRows, rerank: 0 }).rerank).toBe(0);
    const index = build(1.5);
    expect(index.rerank).toBe(1.5);
    expectCode(() => index.search(rows.subarray(0, dim), 3, { rerank: 0.5 }), 'INVALID_ARGUMENT');
  });

  it('the rerank default is saved in PARM (absent when 0) and a reloaded index keeps it; a bad saved value is CORRUPT_DATA', () => {
    const index = build(3);
    const bytes = index.serialize();
    const loaded = FlatCodesIndex.deserialize(bytes, { storage: floatRows });
    expect(loaded.rerank).toBe(3);
    expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
    const plain = build(0).serialize();
    expect(new TextDecoder().decode(plain)).not.toContain('rerank');
    expect(FlatCodesIndex.deserialize(plain, { storage: floatRows }).rerank).toBe(0);
    expectCode(() => FlatCodesIndex.deserialize(withParams(bytes, (p) => ({ ...p, rerank: 0.5 })), { storage: floatRows }), 'CORRUPT_DATA');
    expectCode(() => FlatCodesIndex.deserialize(withParams(bytes, (p) => ({ ...p, rerank: 'x' })), { storage: floatRows }), 'CORRUPT_DATA');
  });

  it('a failed training leaves the index with the storage it had', () => {
    const index = new FlatCodesIndex({ dim, metric: 'l2', storage: (d, m, k, c) => new FailingTraining(d, m, k, { initialCapacity: c }) });
    const before = index.storage;
    expect(() => index.train(rows)).toThrow('training failed');
    expect(index.storage).toBe(before);
    index.addBatch(ids, rows);
    expect(index.search(rows.subarray(0, dim), 1).ids[0]).toBe(0);
  });

  it('deserialize needs the storage the rows were written by', () => {
    const bytes = build(0).serialize();
    expectCode(() => FlatCodesIndex.deserialize(bytes, undefined as never), 'INVALID_ARGUMENT');
    const wider: StorageMaker = (d, m, k, c) => new Float32Storage(d + 1, m, k, { initialCapacity: c });
    expectCode(() => FlatCodesIndex.deserialize(bytes, { storage: wider }), 'CORRUPT_DATA');
  });
});
