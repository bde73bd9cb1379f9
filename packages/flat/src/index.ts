export { FlatIndex } from './flat-index.js';
export type { FlatIndexOptions, FlatLoadOptions } from './flat-index.js';
export { FlatCodesIndex } from './flat-codes-index.js';
export type { FlatCodesIndexOptions, FlatCodesSearchOptions, FlatCodesLoadOptions, StorageMaker } from './flat-codes-options.js';
export { FLAT_CODES_LAYOUT } from './flat-codes-format.js';
export { MAX_RERANK, expectState, readCommonParams, readFlatCodes, readPayload, withRerank } from './flat-codes-file.js';
export type { CommonParams, FlatCodesFile, FlatCodesLayout, FlatCodesPayload } from './flat-codes-file.js';
export { flatFamily } from './descriptor.js';
