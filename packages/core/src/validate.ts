import { AnnkitError } from './errors.js';
import type { Metric } from './metric.js';

export function assertDim(dim: unknown): asserts dim is number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 65536) {
    throw new AnnkitError('INVALID_ARGUMENT', `dim must be an integer in 1..65536, got ${String(dim)}.`);
  }
}

export function assertId(id: unknown): asserts id is number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    throw new AnnkitError('INVALID_ARGUMENT', `Ids must be non-negative safe integers, got ${String(id)}.`);
  }
}

export function assertK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k <= 0) {
    throw new AnnkitError('INVALID_ARGUMENT', `k must be a positive integer, got ${String(k)}.`);
  }
}

export function assertPositiveInt(name: string, value: unknown, max = 2 ** 31 - 1): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new AnnkitError('INVALID_ARGUMENT', `${name} must be an integer in 1..${max}, got ${String(value)}.`);
  }
}

export function assertFloat32Array(name: string, value: unknown): asserts value is Float32Array {
  if (!(value instanceof Float32Array)) {
    throw new AnnkitError('INVALID_ARGUMENT', `${name} must be a Float32Array, got ${describeType(value)}.`);
  }
}

/** Checks one vector (length, finiteness, non-zero under cosine). Returns its squared norm. */
export function assertVector(vector: unknown, dim: number, metric: Metric, name = 'vector'): number {
  assertFloat32Array(name, vector);
  if (vector.length !== dim) {
    throw new AnnkitError('DIMENSION_MISMATCH', `${name} has ${vector.length} values but the index has dim ${dim}.`);
  }
  return assertRowValues(vector, 0, dim, metric, name);
}

/** Validates `dim` values of `data` from `offset`; returns the squared norm. */
export function assertRowValues(data: Float32Array, offset: number, dim: number, metric: Metric, name: string): number {
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    const v = data[offset + i]!;
    if (v - v !== 0) {
      throw new AnnkitError('INVALID_VECTOR', `${name} has a non-finite value (${v}) at position ${i}; vectors must hold finite numbers.`);
    }
    norm += v * v;
  }
  if (metric === 'cosine' && !(norm > 0)) {
    throw new AnnkitError('INVALID_VECTOR', `${name} is a zero vector, which has no direction under the cosine metric.`);
  }
  if (!Number.isFinite(norm)) {
    throw new AnnkitError('INVALID_VECTOR', `${name} has a norm that overflows float precision; scale the vector down.`);
  }
  return norm;
}

/** Validates a row-major batch and its ids (all of it, before any write). */
export function assertBatch(ids: ArrayLike<number>, vectors: unknown, dim: number, metric: Metric): number {
  assertFloat32Array('vectors', vectors);
  if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw new AnnkitError('INVALID_ARGUMENT', `ids must be an array-like of numbers.`);
  }
  const n = ids.length;
  if (vectors.length !== n * dim) {
    throw new AnnkitError('DIMENSION_MISMATCH', `vectors has ${vectors.length} values; ${n} ids × dim ${dim} needs ${n * dim}.`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    assertId(id);
    if (seen.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} appears twice in the batch.`);
    seen.add(id);
    assertRowValues(vectors, i * dim, dim, metric, `vectors row ${i} (id ${id})`);
  }
  return n;
}

/** Validates a row-major batch of queries; returns the count. */
export function assertQueryBatch(queries: unknown, dim: number, metric: Metric): number {
  assertFloat32Array('queries', queries);
  if (queries.length % dim !== 0) {
    throw new AnnkitError('DIMENSION_MISMATCH', `queries has ${queries.length} values, not a multiple of dim ${dim}.`);
  }
  const n = queries.length / dim;
  for (let i = 0; i < n; i++) assertRowValues(queries, i * dim, dim, metric, `query ${i}`);
  return n;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}
