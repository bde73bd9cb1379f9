import { Float32Storage } from '@annkit/core';
import { FlatCodesIndex } from '@annkit/flat';
import type { StorageMaker } from '@annkit/flat';
import { describeIndexLaws } from '@annkit/testkit';

const floatRows: StorageMaker = (dim, metric, kernels, initialCapacity) => new Float32Storage(dim, metric, kernels, { initialCapacity });

// Over raw float rows the flat-codes scan is exact.
describeIndexLaws({
  name: 'FlatCodesIndex(Float32Storage)',
  exact: true,
  numRuns: 30,
  create: ({ dim, metric }) => new FlatCodesIndex({ dim, metric, storage: floatRows }),
  createWith: (options, { dim, metric }) => new FlatCodesIndex({ dim, metric, storage: floatRows, ...options }),
  deserialize: (bytes) => FlatCodesIndex.deserialize(bytes, { storage: floatRows }),
});

// Kept raw vectors and a default re-rank factor: still exact, through the re-rank path on every search.
describeIndexLaws({
  name: 'FlatCodesIndex(Float32Storage) keepVectors, rerank 2 by default',
  exact: true,
  numRuns: 20,
  create: ({ dim, metric }) => new FlatCodesIndex({ dim, metric, storage: floatRows, keepVectors: true, rerank: 2 }),
  deserialize: (bytes) => FlatCodesIndex.deserialize(bytes, { storage: floatRows }),
});
