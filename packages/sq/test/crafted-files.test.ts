import { describe, expect, it } from 'vitest';
import { SqCodec, SqIndex } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import { MAX_STORED_COMPONENT } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { expectCode, randomRows, readAnyAnnk, rewriteAnnk } from '@annkit/testkit';

/** A serialized SqIndex of 20 rows (no raw vectors: the codes are all there is). */
function sqFile(type: SqType, metric: Metric = 'l2', dim = 8): Uint8Array {
  const index = new SqIndex({ dim, metric, type });
  const rows = randomRows(20, dim, 5, 2);
  index.train(rows);
  index.addBatch(Array.from({ length: 20 }, (_, i) => i), rows);
  return index.serialize();
}

/** The file with its trained ranges (CDST: dim scales, then dim offsets) edited and the checksums re-sealed. */
function withRanges(bytes: Uint8Array, edit: (scale: Float32Array, offset: Float32Array) => void): Uint8Array {
  return rewriteAnnk(bytes, {}, (tag, data) => {
    if (tag !== 'CDST') return data;
    const state = new Float32Array(data.slice().buffer);
    const dim = state.length / 2;
    edit(state.subarray(0, dim), state.subarray(dim));
    return new Uint8Array(state.buffer);
  });
}

describe('issue 12 item 5: SQ files that pass every checksum but decode to overflowing values', () => {
  it('issue 12 item 5: an SQ8 range with a huge finite scale (decoded values overflow float32 distances) is CORRUPT_DATA', () => {
    const bytes = sqFile('sq8');
    expect(() => SqIndex.deserialize(bytes)).not.toThrow();
    for (const scale of [1e30, 1e20, (2 * MAX_STORED_COMPONENT) / 255]) {
      expectCode(() => SqIndex.deserialize(withRanges(bytes, (s) => (s[0] = scale))), 'CORRUPT_DATA');
    }
    expectCode(() => SqIndex.deserialize(withRanges(bytes, (_s, o) => (o[3] = -3e38))), 'CORRUPT_DATA');
    // The codec checks the same when handed ranges directly.
    const codec = new SqCodec({ dim: 2, type: 'sq4' });
    expectCode(() => codec.loadState(new Uint8Array(new Float32Array([1e30, 0, 0, 0]).buffer)), 'CORRUPT_DATA');
  });

  it('issue 12 item 5: ranges each within bounds whose decoded rows together overflow are CORRUPT_DATA', () => {
    const dim = 64;
    const bytes = sqFile('sq8', 'l2', dim);
    // Every dimension decodes to about 0.9 × MAX_STORED_COMPONENT: fine one by one, a row of them is not.
    const tampered = withRanges(bytes, (s, o) => {
      s.fill(0);
      o.fill(0.9 * MAX_STORED_COMPONENT);
    });
    expectCode(() => SqIndex.deserialize(tampered), 'CORRUPT_DATA');
  });

  it('issue 12 item 5: fp16 codes holding Inf or NaN are CORRUPT_DATA; the largest finite halves load and score finitely', () => {
    const bytes = sqFile('fp16');
    const withCode = (half: number) =>
      rewriteAnnk(bytes, {}, (tag, data) => {
        if (tag !== 'CODE') return data;
        const codes = data.slice();
        codes[6] = half & 0xff;
        codes[7] = half >> 8;
        return codes;
      });
    for (const half of [0x7c00, 0xfc00, 0x7e00, 0x7c01]) expectCode(() => SqIndex.deserialize(withCode(half)), 'CORRUPT_DATA');
    const loaded = SqIndex.deserialize(withCode(0x7bff));
    const result = loaded.search(randomRows(1, 8, 9, 1), 20);
    expect(result.distances.every((d) => Number.isFinite(d))).toBe(true);
  });

  it('issue 12 item 5: codes and ranges from a real file stay loadable (no false alarms)', () => {
    for (const type of ['sq8', 'sq4', 'fp16'] as const) {
      for (const metric of ['l2', 'ip', 'cosine'] as const) {
        const bytes = sqFile(type, metric);
        expect(SqIndex.deserialize(bytes).size).toBe(20);
        expect(readAnyAnnk(bytes).metric).toBe(metric);
      }
    }
  });
});
