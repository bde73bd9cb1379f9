import { SqIndex } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import { describeIndexLaws } from '@annkit/testkit';

// With raw vectors kept and rerank, returned distances are exact (the laws recompute them); ranks come
// from the codes, so the family is approximate.
for (const type of ['sq8', 'sq4', 'fp16'] as const satisfies readonly SqType[]) {
  describeIndexLaws({
    name: `SqIndex(${type}) rerank`,
    exact: false,
    lossless: false,
    recallFloor: type === 'sq4' ? 0.85 : 0.9,
    create: ({ dim, metric, training }) => {
      const index = new SqIndex({ dim, metric, type, keepVectors: true });
      index.train(training);
      return index;
    },
    createWith: (options, { dim, metric, training }) => {
      const index = new SqIndex({ dim, metric, type, keepVectors: true, ...options });
      index.train(training);
      return index;
    },
    deserialize: (bytes) => SqIndex.deserialize(bytes),
    searchOptions: { rerank: 3 },
    numRuns: 30,
  });
}
