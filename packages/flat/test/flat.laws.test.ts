import { FlatIndex } from '@annkit/flat';
import { describeIndexLaws } from '@annkit/testkit';

describeIndexLaws({
  name: 'FlatIndex',
  exact: true,
  create: ({ dim, metric }) => new FlatIndex({ dim, metric }),
  createWith: (options, { dim, metric }) => new FlatIndex({ dim, metric, ...options }),
  deserialize: (bytes) => FlatIndex.deserialize(bytes),
});
