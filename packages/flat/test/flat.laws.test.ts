import { FlatIndex } from '@annkit/flat';
import { describeIndexLaws } from '@annkit/testkit';

describeIndexLaws({
  name: 'FlatIndex',
  exact: true,
  create: ({ dim, metric }) => new FlatIndex({ dim, metric }),
  deserialize: (bytes) => FlatIndex.deserialize(bytes),
});
