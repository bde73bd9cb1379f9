import { headCount, noMoreTokens, noRerank, toBytes } from '@annkit/core';
import type { IndexFamily } from '@annkit/core';
import { AnnoyIndex } from './annoy-index.js';
import type { AnnoyIndexOptions } from './options.js';

/** The Annoy family for the umbrella's registry: "Annoy<nTrees>"; .annk kind ANOY. */
export const annoyFamily: IndexFamily<AnnoyIndex, AnnoyIndexOptions, 'ANNOY', 'nTrees'> = {
  kind: 'annoy',
  fourcc: 'ANOY',
  head: 'ANNOY',
  forms: 'Annoy<nTrees>',
  specKeys: ['nTrees'],
  searchKnobs: ['searchK'],
  example: { spec: 'Annoy10', search: { searchK: 1000 } },
  parse(spec) {
    const nTrees = headCount(spec, 'number of trees');
    noMoreTokens(spec, 0, 'Annoy');
    noRerank(spec, 'Annoy (it already ranks with exact distances)');
    return { nTrees };
  },
  create: (options) => new AnnoyIndex(options),
  deserialize: (bytes, options) => AnnoyIndex.deserialize(toBytes(bytes), options),
  describe: (index) => (index instanceof AnnoyIndex ? `Annoy${index.nTrees}` : null),
};
