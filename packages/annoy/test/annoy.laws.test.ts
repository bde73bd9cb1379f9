import { AnnoyIndex } from '@annkit/annoy';
import { describeIndexLaws } from '@annkit/testkit';

// Few trees and small buckets so the small random datasets of the laws grow real trees (splits, chains).
describeIndexLaws({
  name: 'AnnoyIndex(nTrees=4, bucketSize=4)',
  exact: false,
  recallFloor: 0.9,
  create: ({ dim, metric, seed }) => new AnnoyIndex({ dim, metric, seed, nTrees: 4, bucketSize: 4 }),
  createWith: (options, { dim, metric, seed }) => new AnnoyIndex({ dim, metric, seed, nTrees: 4, bucketSize: 4, ...options }),
  deserialize: (bytes) => AnnoyIndex.deserialize(bytes),
});

// The default bucket (a leaf as large as a hyperplane record) and a larger candidate budget.
describeIndexLaws({
  name: 'AnnoyIndex(defaults, searchK=64)',
  exact: false,
  recallFloor: 0.95,
  searchOptions: { searchK: 64 },
  numRuns: 30,
  create: ({ dim, metric, seed }) => new AnnoyIndex({ dim, metric, seed }),
  deserialize: (bytes) => AnnoyIndex.deserialize(bytes),
});
