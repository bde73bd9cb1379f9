import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFvecs } from '@annkit/datasets';

/** Deterministic clustered data: small enough for a test, structured enough that ANN recall is < 1 at low ef. */
export function clusteredRows(n: number, dim: number, seed: number): Float32Array {
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const centers = Array.from({ length: 8 }, () => Array.from({ length: dim }, () => rand() * 10));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centers[i % centers.length]!;
    for (let j = 0; j < dim; j++) out[i * dim + j] = c[j]! + (rand() - 0.5) * 4;
  }
  return out;
}

/** A TEXMEX folder without ground truth (the harness computes it). */
export function texmexFolder(n: number, nq: number, dim: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'annkit-bench-texmex-'));
  writeFileSync(join(dir, 'tiny_base.fvecs'), encodeFvecs(clusteredRows(n, dim, 1), dim));
  writeFileSync(join(dir, 'tiny_query.fvecs'), encodeFvecs(clusteredRows(nq, dim, 2), dim));
  return dir;
}
