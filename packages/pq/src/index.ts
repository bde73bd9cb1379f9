export { PqCodec } from './pq-codec.js';
export type { PqCodecOptions } from './pq-codec.js';
export { PqIndex } from './pq-index.js';
export type { PqIndexOptions, PqSearchOptions } from './pq-index.js';
export { pqFamily } from './descriptor.js';
