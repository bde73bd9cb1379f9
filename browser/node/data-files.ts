import type { DatasetSlice } from './dataset-slice.js';

/** The URLs the demo page fetches, mapped to their bodies. */
export function dataFiles(slice: DatasetSlice): Map<string, Uint8Array | string> {
  return new Map<string, Uint8Array | string>([
    ['/data/meta.json', JSON.stringify(slice.meta)],
    ['/data/base.fvecs', slice.base],
    ['/data/query.fvecs', slice.queries],
  ]);
}
