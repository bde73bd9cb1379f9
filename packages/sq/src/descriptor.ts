import { codecToken, noMoreTokens, parseCodecToken, rerankOptions, rerankSuffix, toBytes } from '@annkit/core';
import type { IndexFamily } from '@annkit/core';
import { SqIndex } from './sq-index.js';
import type { SqIndexOptions } from './sq-index.js';

/** The SQ family for the umbrella's registry: "SQ8", "SQ4", "SQfp16", optionally ",Rerank[<k>]"; .annk kind "SQ  ". */
export const sqFamily: IndexFamily<SqIndex, SqIndexOptions, 'SQ', 'type' | 'keepVectors' | 'rerank'> = {
  kind: 'sq',
  fourcc: 'SQ  ',
  head: 'SQ',
  forms: 'SQ8 | SQ4 | SQfp16 [,Rerank[<k>]]',
  specKeys: ['type', 'keepVectors', 'rerank'],
  searchKnobs: ['rerank'],
  example: { spec: 'SQ8,Rerank', search: {} },
  parse(spec) {
    const codec = parseCodecToken(spec, spec.head);
    if (codec?.kind !== 'sq') return spec.fail(spec.head, 'is not a known index (SQ8, SQ4 or SQfp16)');
    noMoreTokens(spec, 0, spec.head);
    return { type: codec.type, ...rerankOptions(spec) };
  },
  create: (options) => new SqIndex(options),
  deserialize: (bytes, options) => SqIndex.deserialize(toBytes(bytes), options),
  describe: (index) => (index instanceof SqIndex ? `${codecToken({ kind: 'sq', type: index.type })}${rerankSuffix(index.keepVectors, index.rerank)}` : null),
};
