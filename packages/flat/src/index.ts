export { FlatIndex } from './flat-index.js';
export type { FlatIndexOptions, FlatLoadOptions } from './flat-index.js';
