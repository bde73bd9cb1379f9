import { CodeStorage } from '@annkit/core';
import { FlatCodesIndex } from '@annkit/flat';
import type { StorageMaker } from '@annkit/flat';
import { PqCodec } from '@annkit/pq';
import { describeIndexLaws } from '@annkit/testkit';

/** A sub-quantizer count that divides dim: pairs of dimensions when dim is even. */
const mFor = (dim: number) => (dim % 2 === 0 ? dim / 2 : dim);

const pqRows =
  (nbits: 4 | 8, seed: number): StorageMaker =>
  (dim, metric, kernels, capacity) =>
    new CodeStorage(new PqCodec({ dim, m: mFor(dim), nbits, seed, niter: 4, kernels }), metric, kernels, capacity);

// The generic index over PQ codes, re-ranking by default (no rerank search option). The seed only shapes
// training, so loading with any seed restores the same codebooks.
for (const nbits of [8, 4] as const) {
  describeIndexLaws({
    name: `FlatCodesIndex(CodeStorage(PqCodec nbits ${nbits})) rerank 4 by default`,
    exact: false,
    lossless: false,
    recallFloor: 0.85,
    create: ({ dim, metric, seed, training }) => {
      const index = new FlatCodesIndex({ dim, metric, storage: pqRows(nbits, seed), keepVectors: true, rerank: 4 });
      index.train(training);
      return index;
    },
    deserialize: (bytes) => FlatCodesIndex.deserialize(bytes, { storage: pqRows(nbits, 1) }),
    numRuns: 15,
  });
}
