import { Rng } from '@annkit/core';

/** A seeded test set: row-major base and query matrices and the user ids of the base rows. */
export interface TestData {
  dim: number;
  n: number;
  nq: number;
  base: Float32Array;
  queries: Float32Array;
  /** Sparse, out-of-order user ids (not 0..n-1) so an id/slot mix-up cannot pass unnoticed. */
  ids: Float64Array;
}

/**
 * A gaussian mixture: clustered like real embeddings, so approximate indexes reach a meaningful recall.
 * Queries are drawn from the same clusters but are not base rows.
 */
export function clusteredData(n: number, nq: number, dim: number, seed: number): TestData {
  const rng = new Rng(seed);
  const clusters = 40;
  const centers = new Float32Array(clusters * dim);
  for (let i = 0; i < centers.length; i++) centers[i] = rng.gaussian();
  const sample = (out: Float32Array, rows: number): void => {
    for (let r = 0; r < rows; r++) {
      const c = rng.int(clusters) * dim;
      // Shift every row a little off the origin side so cosine and l2 neighbours differ.
      for (let j = 0; j < dim; j++) out[r * dim + j] = centers[c + j] + 0.9 * rng.gaussian() + 0.1;
    }
  };
  const base = new Float32Array(n * dim);
  const queries = new Float32Array(nq * dim);
  sample(base, n);
  sample(queries, nq);
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) ids[i] = (n - i) * 7 + 3;
  return { dim, n, nq, base, queries, ids };
}
