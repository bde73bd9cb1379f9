export { kmeans } from './kmeans.js';
export type { KMeansResult } from './kmeans.js';
export { DEFAULT_MAX_POINTS_PER_CENTROID, DEFAULT_NITER, DEFAULT_SEED, MIN_POINTS_PER_CENTROID } from './options.js';
export type { KMeansInit, KMeansOptions } from './options.js';
