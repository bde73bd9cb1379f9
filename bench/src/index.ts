export { runJob } from './job.js';
export type { Job, ResultRow } from './job.js';
export { createAdapter, registerAdapter, parseSpec, knownAdapters } from './registry.js';
export { paretoFrontier, qpsAtRecall, markdownTable, summaryTable, comparisonLines } from './report.js';
export type { BenchAdapter, BuiltIndex, BuildInput } from './adapters/types.js';
