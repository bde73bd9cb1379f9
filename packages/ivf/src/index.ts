export { IvfIndex } from './ivf-index.js';
export type { IvfCodecSpec, IvfIndexOptions, IvfLoadOptions, IvfPqSpec, IvfSearchOptions } from './options.js';
export type { IvfCodecType } from './list-codec.js';
// Types of IvfIndex's public read-only parts (its coarse quantizer, lists and resolved options).
export type { CoarseQuantizer, CoarseTrainOptions } from './coarse.js';
export type { ListCodec, ListFactory } from './list-codec.js';
export type { InvertedLists } from './inverted-lists.js';
export type { ResolvedIvfOptions } from './options.js';
export { ivfFamily } from './descriptor.js';
