export { HnswIndex } from './hnsw-index.js';
export type { HnswIndexOptions, HnswSearchOptions, HnswLoadOptions, FilterStrategy, HnswStorageKind, HnswStorageSpec, HnswPqStorage, PqParams } from './options.js';
export { DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_EF_SEARCH, DEFAULT_MAX_TOMBSTONE_RATIO } from './options.js';
export { hnswFamily } from './descriptor.js';
