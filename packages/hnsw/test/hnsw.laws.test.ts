import { HnswIndex } from '@annkit/hnsw';
import { describeIndexLaws } from '@annkit/testkit';

describeIndexLaws({
  name: 'HnswIndex(m=8,efC=64)',
  exact: false,
  recallFloor: 0.95,
  create: ({ dim, metric, seed }) => new HnswIndex({ dim, metric, seed, m: 8, efConstruction: 64 }),
  createWith: (options, { dim, metric, seed }) => new HnswIndex({ dim, metric, seed, m: 8, efConstruction: 64, ...options }),
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

// Half floats with the float vectors kept; the rerank factor is the index's default (a constructor option,
// saved with the index), so the laws' searches pass none and still get exact distances.
describeIndexLaws({
  name: 'HnswIndex(fp16, keepVectors, default rerank 3)',
  exact: false,
  recallFloor: 0.9,
  numRuns: 30,
  create: ({ dim, metric, seed }) => new HnswIndex({ dim, metric, seed, m: 6, efConstruction: 32, storage: 'fp16', keepVectors: true, rerank: 3 }),
  deserialize: (bytes) => HnswIndex.deserialize(bytes),
});

// Product-quantized codes (one 4-bit sub-quantizer per dimension, so any generated dim divides), built and
// walked on ADC distances, re-ranked on the kept floats.
describeIndexLaws({
  name: 'HnswIndex(pq m=dim nbits=4, keepVectors, rerank 3)',
  exact: false,
  recallFloor: 0.9,
  numRuns: 30,
  create: ({ dim, metric, seed, training }) => {
    const index = new HnswIndex({ dim, metric, seed, m: 6, efConstruction: 32, storage: { type: 'pq', m: dim, nbits: 4, niter: 8 }, keepVectors: true });
    index.train(training);
    return index;
  },
  deserialize: (bytes) => HnswIndex.deserialize(bytes),
  searchOptions: { rerank: 3 },
});
