import { noMoreTokens, noRerank, toBytes } from '@annkit/core';
import type { IndexFamily } from '@annkit/core';
import { FlatIndex } from './flat-index.js';
import type { FlatIndexOptions } from './flat-index.js';

/** The Flat family for the umbrella's registry: factory string "Flat", .annk kind FLAT. */
export const flatFamily: IndexFamily<FlatIndex, FlatIndexOptions, 'FLAT', never> = {
  kind: 'flat',
  fourcc: 'FLAT',
  head: 'FLAT',
  forms: 'Flat',
  specKeys: [],
  searchKnobs: [],
  example: { spec: 'Flat', search: {} },
  parse(spec) {
    if (spec.headArgument !== '') spec.fail(spec.head, 'is not a known index');
    noMoreTokens(spec, 0, 'Flat');
    noRerank(spec, 'Flat (it already ranks with exact distances)');
    return {};
  },
  create: (options) => new FlatIndex(options),
  deserialize: (bytes, options) => FlatIndex.deserialize(toBytes(bytes), options),
  describe: (index) => (index instanceof FlatIndex ? 'Flat' : null),
};
