import type { LongTaskOptions } from './progress.js';

/**
 * A vector codec (FAISS's quantizer): turns float rows into fixed-size codes and back.
 * Implementations: SqCodec, PqCodec (and the identity codec for raw floats).
 */
export interface Codec {
  readonly dim: number;
  /** Bytes per encoded vector. */
  readonly codeSize: number;
  readonly isTrained: boolean;
  train(samples: Float32Array, opts?: LongTaskOptions): void;
  /** Encodes n rows (row-major, `dim` apart) into `out` (codeSize bytes each). */
  encode(vectors: Float32Array, n: number, out: Uint8Array, outOff?: number): void;
  /** Decodes n codes into row-major floats. */
  decode(codes: Uint8Array, n: number, out: Float32Array, codesOff?: number): void;
}

/**
 * What a graph or inverted list sees of the stored vectors: distances by slot, with the query bound once
 * (so PQ can build its tables once per query). The same HNSW graph runs over floats, SQ or PQ codes.
 */
export interface DistanceComputer {
  /** Binds the query (already validated and prepared for the metric). */
  setQuery(query: Float32Array): void;
  /** Distance from the bound query to the vector at `slot`. */
  distance(slot: number): number;
  /** out[i] = distance(slots[i]) for i < n, batched for the kernels. */
  distances(slots: Int32Array, n: number, out: Float32Array): void;
  /** Distance between two stored vectors (graph construction). */
  between(a: number, b: number): number;
}
