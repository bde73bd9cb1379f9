export { AnnoyIndex } from './annoy-index.js';
export type { AnnoyIndexOptions, AnnoySearchOptions, AnnoyLoadOptions } from './options.js';
export { annoyFamily } from './descriptor.js';
