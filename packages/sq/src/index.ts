export { SqCodec, SQ_TYPES } from './sq-codec.js';
export type { SqCodecOptions, SqCodecState, SqType } from './sq-codec.js';
export { floatToHalf, halfToFloat } from '@annkit/core';
export { SqIndex } from './sq-index.js';
export type { SqIndexOptions, SqSearchOptions } from './sq-index.js';
export { sqFamily } from './descriptor.js';
