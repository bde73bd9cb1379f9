import { codecToken, noMoreTokens, parseCodecToken, rerankOptions, rerankSuffix, toBytes } from '@annkit/core';
import type { IndexFamily } from '@annkit/core';
import { PqIndex } from './pq-index.js';
import type { PqIndexOptions } from './pq-index.js';

/** The PQ family for the umbrella's registry: "PQ<m>[x<nbits>]", optionally ",Rerank[<k>]"; .annk kind "PQ  ". */
export const pqFamily: IndexFamily<PqIndex, PqIndexOptions, 'PQ', 'm' | 'nbits' | 'keepVectors' | 'rerank'> = {
  kind: 'pq',
  fourcc: 'PQ  ',
  head: 'PQ',
  forms: 'PQ<m>[x<nbits>] [,Rerank[<k>]]',
  specKeys: ['m', 'nbits', 'keepVectors', 'rerank'],
  searchKnobs: ['rerank'],
  example: { spec: 'PQ10,Rerank', search: {} },
  parse(spec) {
    const codec = parseCodecToken(spec, spec.head);
    if (codec?.kind !== 'pq') return spec.fail(spec.head, 'is not a known index (PQ<m> or PQ<m>x<nbits>)');
    noMoreTokens(spec, 0, spec.head);
    return { m: codec.m, nbits: codec.nbits, ...rerankOptions(spec) };
  },
  create: (options) => new PqIndex(options),
  deserialize: (bytes, options) => PqIndex.deserialize(toBytes(bytes), options),
  describe: (index) => (index instanceof PqIndex ? `${codecToken({ kind: 'pq', m: index.m, nbits: index.nbits })}${rerankSuffix(index.keepVectors, index.rerank)}` : null),
};
