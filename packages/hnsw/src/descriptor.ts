import { AnnkitError, codecToken, parseCodecToken, parseOverCodec, rerankSuffix, toBytes } from '@annkit/core';
import type { IndexFamily, SpecTokens } from '@annkit/core';
import { HnswIndex } from './hnsw-index.js';
import type { HnswIndexOptions } from './options.js';

type Storage = NonNullable<HnswIndexOptions['storage']>;

/** The storage a token names: Flat (float32, also without a token), SQfp16, SQ8 or PQ<m>[x<nbits>]. */
function parseStorage(spec: SpecTokens, token: string | undefined): Storage {
  const codec = token === undefined ? ({ kind: 'flat' } as const) : parseCodecToken(spec, token);
  if (codec?.kind === 'flat') return 'float32';
  if (codec?.kind === 'sq' && codec.type !== 'sq4') return codec.type;
  if (codec?.kind === 'pq') return { type: 'pq', m: codec.m, nbits: codec.nbits };
  return spec.fail(token ?? '', 'is not a storage HNSW offers (Flat, SQfp16, SQ8 or PQ<m>[x<nbits>])');
}

/** The storage token of an index ("" for float32). */
function storageToken(index: HnswIndex): string {
  const storage = index.storage;
  if (storage === 'float32') return '';
  if (storage === 'fp16' || storage === 'sq8') return `,${codecToken({ kind: 'sq', type: storage })}`;
  if (index.pq === null) throw new AnnkitError('INVALID_STATE', 'An HnswIndex with PQ storage reports no PQ settings.');
  return `,${codecToken({ kind: 'pq', m: index.pq.m, nbits: index.pq.nbits })}`;
}

/** The HNSW family for the umbrella's registry: "HNSW<m>[,Flat|SQfp16|SQ8|PQ<m>[x<nbits>]][,Rerank[<k>]]"; .annk kind HNSW. */
export const hnswFamily: IndexFamily<HnswIndex, HnswIndexOptions, 'HNSW', 'm' | 'storage' | 'keepVectors' | 'rerank'> = {
  kind: 'hnsw',
  fourcc: 'HNSW',
  head: 'HNSW',
  forms: 'HNSW<m>[,Flat|SQfp16|SQ8|PQ<m>[x<nbits>]] [,Rerank[<k>] after a quantized storage]',
  specKeys: ['m', 'storage', 'keepVectors', 'rerank'],
  searchKnobs: ['efSearch', 'rerank'],
  example: { spec: 'HNSW16', search: { efSearch: 64 } },
  parse(spec) {
    const { count, codec, rerank } = parseOverCodec(spec, 'number of links', (t) => parseStorage(spec, t), (s) => s === 'float32', 'HNSW over float vectors');
    return { m: count, ...(codec === 'float32' ? {} : { storage: codec }), ...rerank };
  },
  create: (options) => new HnswIndex(options),
  deserialize: (bytes, options) => HnswIndex.deserialize(toBytes(bytes), options),
  describe: (index) => (index instanceof HnswIndex ? `HNSW${index.m}${storageToken(index)}${rerankSuffix(index.keepVectors, index.rerank)}` : null),
};
