import type { Kernels, Metric, ProgressEvent } from '@annkit/core';

/** What an adapter receives to build an index: the base vectors of a dataset. */
export interface BuildInput {
  dim: number;
  metric: Metric;
  /** Row-major n × dim. Ids are row positions 0..n-1. */
  base: Float32Array;
  n: number;
  kernels: Kernels;
  onProgress?: (e: ProgressEvent) => void;
}

export type PreparedQuery = Float32Array | number[];

/** A built index as the harness drives it. */
export interface BuiltIndex {
  /** Sets query-time parameters (one point of the adapter's search grid). */
  setSearchParams(params: Record<string, number>): void;
  /**
   * Converts the queries once, before timing, into what search() takes (peers that need number[]).
   * Without it search() receives the Float32Array rows.
   */
  prepareQueries?(queries: Float32Array[]): PreparedQuery[];
  /** k nearest ids for one query (positions into the base). */
  search(query: PreparedQuery, k: number): ArrayLike<number>;
  /** Bytes of the index in memory (vectors/codes + graph/lists + ids), not counting spare capacity. */
  memoryBytes(): number;
  /**
   * For peers in another process: build, then run every grid point's queries one at a time and time them
   * there (so no IPC sits inside the timing). The harness then skips its own timing loop for this index.
   */
  runAll?: ExternalRun;
  /** Serialised size, when the index can serialise. */
  serializedBytes?(): number;
  free?(): void;
}

/** One index family (or peer library) at one build configuration. */
export interface BenchAdapter {
  /** Family or peer name, e.g. "annkit-hnsw", "hnswlib-node". */
  library: string;
  /** Build-parameter label, e.g. "HNSW16,efC200". */
  label: string;
  /** Query-parameter grid, e.g. [{ efSearch: 10 }, { efSearch: 20 }, …]. Empty object for no parameters. */
  searchGrid: Record<string, number>[];
  /** Kernel backend the index runs on ("js", "wasm-simd128", or "native" for peers). */
  backend?: string;
  /** Metrics this adapter supports. */
  metrics: readonly Metric[];
  build(input: BuildInput): Promise<BuiltIndex> | BuiltIndex;
}

/** Result of an external peer's own sweep: per grid point, each query's ids and its latency. */
export type ExternalRun = (
  queries: Float32Array[],
  k: number,
  warmup: number,
) => { buildSeconds: number; points: { latenciesMs: Float64Array; results: ArrayLike<number>[] }[] };
