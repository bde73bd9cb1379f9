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

/** Default initial row capacity, and the largest count and byte size an initialCapacity may reserve up front. */
export const DEFAULT_INITIAL_CAPACITY = 64;
const MAX_INITIAL_CAPACITY = 2 ** 24;
const MAX_INITIAL_BYTES = 2 ** 30;

/**
 * The one initialCapacity rule for every family: absent means the default; otherwise an integer in
 * 1..2^24 whose float rows (capacity × dim × 4 bytes) fit in 1 GiB. It is only a hint (storage grows past it),
 * so a value that could not be allocated is an argument error rather than an allocation failure later.
 */
export function resolveInitialCapacity(value: unknown, dim: number): number {
  if (value === undefined) return DEFAULT_INITIAL_CAPACITY;
  assertPositiveInt('initialCapacity', value, maxInitialCapacity(dim));
  return value;
}

/** The initialCapacity to construct with for `count` rows read from a file: the allowed hint nearest it (restoring grows past it). */
export function initialCapacityFor(count: number, dim: number): number {
  return Math.max(1, Math.min(count, maxInitialCapacity(dim)));
}

function maxInitialCapacity(dim: number): number {
  return Math.max(1, Math.min(MAX_INITIAL_CAPACITY, Math.floor(MAX_INITIAL_BYTES / (4 * dim))));
}

/** An option's value, or `fallback` when it is absent. Only undefined is absent: null is a value, which validators reject. */
export function optionOr<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
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
  // Cosine rows are scaled to unit length (in float64) before any kernel sees them; l2 and ip rows are not.
  if (metric === 'cosine' ? !Number.isFinite(norm) : !(norm <= MAX_SQUARED_NORM)) {
    throw new AnnkitError(
      'INVALID_VECTOR',
      `${name} has squared norm ${norm.toPrecision(3)}, above ${MAX_SQUARED_NORM.toPrecision(3)} (float32 max / 32): its distances to other vectors could overflow float32 and compare as Infinity; scale the vectors down.`,
    );
  }
  return norm;
}

/**
 * The largest squared norm an l2/ip row or query may have. Kernels accumulate in float32; with every row at
 * most this long, |a − b|² ≤ 4·bound and |a·b| ≤ bound, and residuals against centroids (IVF, PQ, Annoy
 * splits: at most twice as long) give at most 16·bound — all below FLT_MAX, so no distance is Infinity/NaN.
 */
export const MAX_SQUARED_NORM = 3.4028234663852886e38 / 32;

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
