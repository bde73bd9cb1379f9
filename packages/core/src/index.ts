export { AnnkitError, isAnnkitError, corrupt } from './errors.js';
export type { AnnkitErrorCode } from './errors.js';
export { METRICS, assertMetric, metricCode, metricFromCode, usesDot, dotToDistance, kernelToDistance, kernelToDistanceInPlace, prepareRow } from './metric.js';
export { prepareRows } from './metric.js';
export type { Metric } from './metric.js';
export { assertDim, assertId, assertK, assertPositiveInt, assertFloat32Array, assertVector, assertRowValues, assertBatch, assertQueryBatch, assertIdBatch, assertSamples, toVector, toBytes, resolveInitialCapacity, initialCapacityFor, optionOr, DEFAULT_INITIAL_CAPACITY, MAX_SQUARED_NORM } from './validate.js';
export { jsKernels, paddedStride } from './kernels.js';
export type { Kernels, KernelBackend } from './kernels.js';
export type { CodeKernels } from './code-kernels.js';
export { HeapArray } from './heap.js';
export type { Heap, HeapTypedArray, TypedArrayConstructor } from './heap.js';
export { VectorStore } from './vector-store.js';
export { IdMap } from './id-map.js';
export { TopK } from './topk.js';
export { VisitedSet } from './visited-set.js';
export { Rng } from './rng.js';
export { ProgressTracker, throwIfAborted } from './progress.js';
export type { ProgressEvent, ProgressPhase, LongTaskOptions } from './progress.js';
export { crc32 } from './crc32.js';
export {
  writeAnnk,
  readAnnk,
  align16,
  sectionArray,
  bytesOf,
  encodeJson,
  decodeJson,
  paramInt,
  HEADER_BYTES,
  SECTION_ENTRY_BYTES,
  SECTION_OPTIONAL,
} from './format.js';
export type { AnnkHeader, AnnkSection, AnnkFile, AnnkExpectation, ViewCtor } from './format.js';
export { filterPredicate, emptyResult } from './types.js';
export { DEFAULT_RERANK, specCount, headCount, parseOverCodec, noMoreTokens, noRerank, rerankOptions, rerankSuffix, parseCodecToken, codecToken } from './spec-grammar.js';
export type { IndexFamily, SpecTokens } from './family.js';
export type { CodecToken } from './spec-grammar.js';
export type { SearchResult, SearchOptions, SearchFilter, AllowList, VectorIndex, TrainableIndex, BaseIndexOptions, LoadOptions, VectorInput, BytesInput, KernelChoice } from './types.js';
export { squaredNorm } from './metric.js';
export { CodeStore } from './code-store.js';
export { Reranker } from './rerank.js';
export { OwnedHeap, IndexLifetime } from './lifetime.js';
export { IndexBase } from './index-base.js';
export { Float32Storage } from './storage/float-storage.js';
export type { Float32StorageOptions } from './storage/float-storage.js';
export { FloatDistance } from './storage/float-distance.js';
export type { FloatRows } from './storage/float-distance.js';
export { CodeStorage } from './storage/code-storage.js';
export type { RowCodec, CodeScorer } from './storage/code-storage.js';
export type { VectorStorage, QueryDistance, StorageKind, StorageFactory } from './storage/vector-storage.js';
export { BitsCodec } from './storage/bits-codec.js';
export { assertStoredRows, assertBoundedRows, MAX_STORED_COMPONENT, MAX_STORED_SQUARED_NORM, UNIT_NORM_TOLERANCE } from './storage/stored-rows.js';
export { floatToHalf, halfToFloat, halfTable } from './half.js';
