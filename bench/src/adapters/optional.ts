import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Loads an optional peer package; the error names it so a skipped peer explains itself in one line. */
export function requireOptional<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (err) {
    throw new Error(`SKIP: ${name} is not installed (${firstLine(err)}); it is an optional peer of the benchmark`);
  }
}

export async function importOptional<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (err) {
    throw new Error(`SKIP: ${name} is not installed (${firstLine(err)}); it is an optional peer of the benchmark`);
  }
}

export function resolveOptional(name: string): string {
  try {
    return require.resolve(`${name}/package.json`);
  } catch (err) {
    throw new Error(`SKIP: ${name} is not installed (${firstLine(err)}); it is an optional peer of the benchmark`);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** Rows as plain number arrays, for peers whose bindings only take arrays. */
export function rowsToArrays(queries: Float32Array[]): number[][] {
  return queries.map((q) => Array.from(q));
}

/** Unit-length copy of a row-major matrix (for peers that only rank by Euclidean or cosine). */
export function normalizedCopy(base: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(base.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += base[i * dim + j]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) out[i * dim + j] = base[i * dim + j]! * inv;
  }
  return out;
}
