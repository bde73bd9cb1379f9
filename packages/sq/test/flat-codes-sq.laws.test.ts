import { CodeStorage } from '@annkit/core';
import { FlatCodesIndex } from '@annkit/flat';
import type { StorageMaker } from '@annkit/flat';
import { SqCodec } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import { describeIndexLaws } from '@annkit/testkit';

const sqRows =
  (type: SqType): StorageMaker =>
  (dim, metric, kernels, capacity) =>
    new CodeStorage(new SqCodec({ dim, type, kernels }), metric, kernels, capacity);

// The generic index over SQ codes, re-ranking by default (no rerank search option): returned distances are
// exact only if the default applies, and it must survive a reload.
for (const type of ['sq8', 'sq4', 'fp16'] as const satisfies readonly SqType[]) {
  describeIndexLaws({
    name: `FlatCodesIndex(CodeStorage(SqCodec ${type})) rerank 3 by default`,
    exact: false,
    lossless: false,
    recallFloor: type === 'sq4' ? 0.85 : 0.9,
    create: ({ dim, metric, training }) => {
      const index = new FlatCodesIndex({ dim, metric, storage: sqRows(type), keepVectors: true, rerank: 3 });
      index.train(training);
      return index;
    },
    deserialize: (bytes) => FlatCodesIndex.deserialize(bytes, { storage: sqRows(type) }),
    numRuns: 20,
  });
}
