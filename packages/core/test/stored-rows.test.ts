import { describe, expect, it } from 'vitest';
import { AnnkitError, Float32Storage, MAX_SQUARED_NORM, jsKernels } from '@annkit/core';
import type { Metric } from '@annkit/core';

function importing(metric: Metric, rows: number[][]): () => void {
  const dim = rows[0]!.length;
  const storage = new Float32Storage(dim, metric, jsKernels);
  const bytes = new Uint8Array(Float32Array.from(rows.flat()).buffer);
  return () => storage.importRows(bytes, rows.length);
}

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof AnnkitError ? err.code : `untyped ${String(err)}`;
  }
}

describe('issue 12 item 5: float rows read from a file are checked against the metric', () => {
  it('issue 12 item 5: non-unit rows under cosine are CORRUPT_DATA; unit rows load', () => {
    expect(codeOf(importing('cosine', [[0.6, 0.8], [3, 4]]))).toBe('CORRUPT_DATA');
    expect(codeOf(importing('cosine', [[0.6, 0.8], [0.1, 0]]))).toBe('CORRUPT_DATA');
    // All-zero rows are cleared slots (HNSW keeps freed slots in place in its files).
    expect(codeOf(importing('cosine', [[0.6, 0.8], [1, 0], [0, 0], [Math.SQRT1_2, -Math.SQRT1_2]]))).toBeNull();
  });

  it('issue 12 item 5: l2/ip rows beyond any row add() accepts (their distances overflow float32) are CORRUPT_DATA', () => {
    const atLimit = Math.sqrt(MAX_SQUARED_NORM);
    for (const metric of ['l2', 'ip'] as const) {
      expect(codeOf(importing(metric, [[6e20, 0]]))).toBe('CORRUPT_DATA');
      expect(codeOf(importing(metric, [[1, Number.NaN]]))).toBe('CORRUPT_DATA');
      expect(codeOf(importing(metric, [[atLimit, 0], [0, -atLimit]]))).toBeNull();
    }
  });
});
