import { PqIndex } from '@annkit/pq';
import { describeIndexLaws } from '@annkit/testkit';

/** A sub-quantizer count that divides dim: pairs of dimensions when dim is even. */
const mFor = (dim: number) => (dim % 2 === 0 ? dim / 2 : dim);

// With raw vectors kept and rerank, returned distances are exact (the laws recompute them); candidates
// come from the ADC ranking, so the family is approximate.
for (const nbits of [8, 4] as const) {
  describeIndexLaws({
    name: `PqIndex(nbits ${nbits}) rerank`,
    exact: false,
    lossless: false,
    recallFloor: 0.85,
    create: ({ dim, metric, seed, training }) => {
      const index = new PqIndex({ dim, metric, m: mFor(dim), nbits, seed, niter: 4, keepVectors: true });
      index.train(training);
      return index;
    },
    createWith: (options, { dim, metric, seed, training }) => {
      const index = new PqIndex({ dim, metric, m: mFor(dim), nbits, seed, niter: 4, keepVectors: true, ...options });
      index.train(training);
      return index;
    },
    deserialize: (bytes) => PqIndex.deserialize(bytes),
    searchOptions: { rerank: 4 },
    numRuns: 25,
  });
}
