export { AnnoyIndex } from './annoy-index.js';
export type { AnnoyIndexOptions, AnnoySearchOptions, AnnoyLoadOptions } from './options.js';
