import { IvfIndex } from '@annkit/ivf';
import { describeIndexLaws } from '@annkit/testkit';

// nprobe = nlist with the flat codec scans every list: exact.
describeIndexLaws({
  name: 'IvfIndex(IVF4,Flat) nprobe=nlist',
  exact: true,
  create: ({ dim, metric, seed, training }) => {
    const index = new IvfIndex({ dim, metric, nlist: 4, seed });
    index.train(training);
    return index;
  },
  deserialize: (bytes) => IvfIndex.deserialize(bytes),
  searchOptions: { nprobe: 4 },
});

// SQ8 residual codes, raw vectors kept: with rerank the returned distances are exact, ranks approximate.
describeIndexLaws({
  name: 'IvfIndex(IVF4,SQ8) rerank',
  exact: false,
  lossless: false,
  recallFloor: 0.9,
  create: ({ dim, metric, seed, training }) => {
    const index = new IvfIndex({ dim, metric, nlist: 4, seed, codec: 'sq8', keepVectors: true });
    index.train(training);
    return index;
  },
  deserialize: (bytes) => IvfIndex.deserialize(bytes),
  searchOptions: { nprobe: 4, rerank: 4 },
  numRuns: 30,
});

// PQ residual codes (pairs of dimensions when dim is even), raw vectors kept, exact rerank.
describeIndexLaws({
  name: 'IvfIndex(IVF4,PQ) rerank',
  exact: false,
  lossless: false,
  recallFloor: 0.85,
  create: ({ dim, metric, seed, training }) => {
    const index = new IvfIndex({ dim, metric, nlist: 4, seed, codec: { type: 'pq', m: dim % 2 === 0 ? dim / 2 : dim, niter: 4 }, keepVectors: true });
    index.train(training);
    return index;
  },
  deserialize: (bytes) => IvfIndex.deserialize(bytes),
  searchOptions: { nprobe: 4, rerank: 4 },
  numRuns: 25,
});
