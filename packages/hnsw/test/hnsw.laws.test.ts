import { HnswIndex } from '@annkit/hnsw';
import { describeIndexLaws } from '@annkit/testkit';

describeIndexLaws({
  name: 'HnswIndex(m=8,efC=64)',
  exact: false,
  recallFloor: 0.95,
  create: ({ dim, metric, seed }) => new HnswIndex({ dim, metric, seed, m: 8, efConstruction: 64 }),
  deserialize: (bytes) => HnswIndex.deserialize(bytes),
});

describeIndexLaws({
  name: 'HnswIndex(m=2,keepPruned)',
  exact: false,
  recallFloor: 0.9,
  numRuns: 30,
  create: ({ dim, metric, seed }) => new HnswIndex({ dim, metric, seed, m: 2, efConstruction: 8, keepPrunedConnections: true, maxTombstoneRatio: 0.3 }),
  deserialize: (bytes) => HnswIndex.deserialize(bytes),
  searchOptions: { efSearch: 16 },
});

// SQ8 codes with the float vectors kept and rerank: returned distances are exact (the laws recompute them),
// while the graph is built and walked on the codes.
describeIndexLaws({
  name: 'HnswIndex(sq8, keepVectors, rerank 3)',
  exact: false,
  recallFloor: 0.9,
  numRuns: 30,
  create: ({ dim, metric, seed, training }) => {
    const index = new HnswIndex({ dim, metric, seed, m: 6, efConstruction: 32, storage: 'sq8', keepVectors: true });
    index.train(training);
    return index;
  },
  deserialize: (bytes) => HnswIndex.deserialize(bytes),
  searchOptions: { rerank: 3 },
});
