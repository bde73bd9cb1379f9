import type { BytesInput, Metric, SearchOptions, VectorIndex } from '@annkit/core';

/** How the shared law suite builds and reloads one index family. */
export interface IndexLawSpec<I extends VectorIndex = VectorIndex> {
  /** Shown in test names, e.g. "FlatIndex" or "IvfIndex(IVF4,Flat)". */
  name: string;
  /** Metrics the family supports (default all three). */
  metrics?: readonly Metric[];
  /** A new, ready-to-add index. `training` holds sample rows for families that must be trained first. */
  create(opts: { dim: number; metric: Metric; seed: number; training: Float32Array }): I;
  /** Loads serialised bytes in any form users hold them (Uint8Array, Node Buffer, ArrayBuffer). */
  deserialize(bytes: BytesInput): I;
  /** True when results must equal brute force (up to ties). */
  exact: boolean;
  /** Minimum mean recall on the law suite's small random data (approximate families). */
  recallFloor?: number;
  /** Per-family search options used by the laws (e.g. { nprobe: nlist } to make IVF exact). */
  searchOptions?: SearchOptions & Record<string, unknown>;
  /** Whether stored vectors come back exactly from getVector (false for quantized storage). */
  lossless?: boolean;
  /** Largest dimension to generate (default 12). */
  maxDim?: number;
  /**
   * Builds the family (ready to add, like create) with extra constructor options such as initialCapacity, so
   * the option-validation laws reach its constructor. Families without such options leave it out.
   */
  createWith?(options: Record<string, unknown>, opts: { dim: number; metric: Metric; seed: number; training: Float32Array }): I;
  /** fast-check runs per property (default 60). */
  numRuns?: number;
}
