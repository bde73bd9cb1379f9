import { codecToken, parseCodecToken, parseOverCodec, rerankSuffix, toBytes } from '@annkit/core';
import type { CodecToken, IndexFamily, SpecTokens } from '@annkit/core';
import { IvfIndex } from './ivf-index.js';
import type { IvfCodecSpec, IvfIndexOptions } from './options.js';

/** The list codec a token names: Flat, SQ8, SQ4, SQfp16 or PQ<m>[x<nbits>]. */
function parseListCodec(spec: SpecTokens, token: string | undefined): IvfCodecSpec {
  if (token === undefined) return spec.fail(spec.head, 'needs a codec after it (IVF<nlist>,Flat for example)');
  const codec = parseCodecToken(spec, token);
  if (codec === null) return spec.fail(token, 'is not a codec (Flat, SQ8, SQ4, SQfp16 or PQ<m>[x<nbits>])');
  if (codec.kind === 'flat') return 'flat';
  return codec.kind === 'sq' ? codec.type : { type: 'pq', m: codec.m, nbits: codec.nbits };
}

function listCodec(index: IvfIndex): CodecToken {
  const o = index.options;
  if (o.codec === 'flat') return { kind: 'flat' };
  return o.codec === 'pq' ? { kind: 'pq', m: o.pqM, nbits: o.pqNbits } : { kind: 'sq', type: o.codec };
}

/** The IVF family for the umbrella's registry: "IVF<nlist>,<Flat|SQ8|SQ4|SQfp16|PQ<m>[x<nbits>]>[,Rerank[<k>]]"; .annk kind "IVF ". */
export const ivfFamily: IndexFamily<IvfIndex, IvfIndexOptions, 'IVF', 'nlist' | 'codec' | 'keepVectors' | 'rerank'> = {
  kind: 'ivf',
  fourcc: 'IVF ',
  head: 'IVF',
  forms: 'IVF<nlist>,<Flat|SQ8|SQ4|SQfp16|PQ<m>[x<nbits>]> [,Rerank[<k>] after SQ or PQ]',
  specKeys: ['nlist', 'codec', 'keepVectors', 'rerank'],
  searchKnobs: ['nprobe', 'rerank'],
  example: { spec: 'IVF32,SQ8,Rerank', search: { nprobe: 8 } },
  parse(spec) {
    const { count, codec, rerank } = parseOverCodec(spec, 'number of lists', (t) => parseListCodec(spec, t), (c) => c === 'flat', 'IVF with flat lists');
    return { nlist: count, codec, ...rerank };
  },
  create: (options) => new IvfIndex(options),
  deserialize: (bytes, options) => IvfIndex.deserialize(toBytes(bytes), options),
  describe: (index) => (index instanceof IvfIndex ? `IVF${index.options.nlist},${codecToken(listCodec(index))}${rerankSuffix(index.options.keepVectors, index.options.rerank)}` : null),
};
