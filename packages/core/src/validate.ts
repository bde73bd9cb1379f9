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

/**
 * Validates training samples: a non-empty row-major n × dim Float32Array of valid rows (finite; non-zero under
 * cosine). Returns n.
 */
export function assertSamples(samples: unknown, dim: number, metric: Metric): number {
  assertFloat32Array('samples', samples);
  if (samples.length % dim !== 0) throw new AnnkitError('DIMENSION_MISMATCH', `samples has ${samples.length} values, not a multiple of dim ${dim}.`);
  const n = samples.length / dim;
  if (n === 0) throw new AnnkitError('INVALID_ARGUMENT', 'train() needs at least one sample row; got none.');
  for (let r = 0; r < n; r++) assertRowValues(samples, r * dim, dim, metric, `samples row ${r}`);
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

/**
 * A single vector as the indexes take it: a Float32Array is used as is; a plain array of numbers is copied
 * once (its values are checked later with the Float32Array rules). Anything else is INVALID_ARGUMENT.
 */
export function toVector(vector: unknown, name = 'vector'): Float32Array {
  if (vector instanceof Float32Array) return vector;
  if (Array.isArray(vector)) {
    const out = new Float32Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const v: unknown = vector[i];
      if (typeof v !== 'number') throw new AnnkitError('INVALID_VECTOR', `${name}[${i}] is ${describeType(v)}, not a number.`);
      out[i] = v;
    }
    return out;
  }
  throw new AnnkitError('INVALID_ARGUMENT', `${name} must be a Float32Array or an array of numbers, got ${describeType(vector)}.`);
}

/** Serialised bytes as users hold them: a Uint8Array (Node's Buffer included) or an ArrayBuffer. */
export function toBytes(bytes: unknown): Uint8Array {
  // A Node Buffer is a Uint8Array whose slice() shares memory (and may sit in a shared pool): readers that
  // copy with slice() get a plain view of the same bytes instead.
  if (bytes instanceof Uint8Array) return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new AnnkitError('INVALID_ARGUMENT', `Expected index bytes as a Uint8Array, Buffer or ArrayBuffer, got ${describeType(bytes)}.`);
}

/** Validates every id of a batch (non-negative safe integers, no repeats); returns the count. */
export function assertIdBatch(ids: unknown): number {
  if (ids === null || typeof ids !== 'object' || typeof (ids as ArrayLike<number>).length !== 'number') {
    throw new AnnkitError('INVALID_ARGUMENT', `ids must be an array-like of numbers.`);
  }
  const list = ids as ArrayLike<number>;
  const seen = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    assertId(id);
    if (seen.has(id)) throw new AnnkitError('DUPLICATE_ID', `Id ${id} appears twice in the batch.`);
    seen.add(id);
  }
  return list.length;
}
