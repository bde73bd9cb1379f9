export { IvfIndex } from './ivf-index.js';
export type { IvfCodecSpec, IvfIndexOptions, IvfLoadOptions, IvfPqSpec, IvfSearchOptions } from './options.js';
export type { IvfCodecType } from './list-codec.js';
