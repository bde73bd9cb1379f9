export { PqCodec } from './pq-codec.js';
export type { PqCodecOptions } from './pq-codec.js';
export { PqDistanceComputer } from './pq-distance.js';
export type { CodeSource } from './pq-distance.js';
export { PqIndex } from './pq-index.js';
export type { PqIndexOptions, PqSearchOptions } from './pq-index.js';
export { CodeStore } from '@annkit/core';
export { Reranker } from '@annkit/core';
