import { AnnkitError } from '@annkit/core';
import type { VectorIndex } from '@annkit/core';
import { AnnoyIndex } from '@annkit/annoy';
import { FlatIndex } from '@annkit/flat';
import { HnswIndex } from '@annkit/hnsw';
import { IvfIndex } from '@annkit/ivf';
import { PqIndex } from '@annkit/pq';
import { SqIndex } from '@annkit/sq';

const sqToken = (type: string) => (type === 'fp16' ? 'SQfp16' : type.toUpperCase());
const pqToken = (m: number, nbits: number) => (nbits === 8 ? `PQ${m}` : `PQ${m}x${nbits}`);
const rerank = (keep: boolean) => (keep ? ',Rerank' : '');

/** The factory string that makes an index of the same configuration (the reverse of createIndex). */
export function describe(index: VectorIndex): string {
  if (index instanceof FlatIndex) return 'Flat';
  if (index instanceof SqIndex) return `${sqToken(index.type)}${rerank(index.keepVectors)}`;
  if (index instanceof PqIndex) return `${pqToken(index.m, index.nbits)}${rerank(index.keepVectors)}`;
  if (index instanceof IvfIndex) {
    const o = index.options;
    const codec = o.codec === 'flat' ? 'Flat' : o.codec === 'pq' ? pqToken(o.pqM, o.pqNbits) : sqToken(o.codec);
    return `IVF${o.nlist},${codec}${rerank(o.keepVectors)}`;
  }
  if (index instanceof HnswIndex) return index.storage === 'sq8' ? `HNSW${index.m},SQ8${rerank(index.keepVectors)}` : `HNSW${index.m}`;
  if (index instanceof AnnoyIndex) return `Annoy${index.nTrees}`;
  throw new AnnkitError('INVALID_ARGUMENT', `describe() knows annkit's indexes (Flat, SQ, PQ, IVF, HNSW, Annoy); got ${String((index as { kind?: unknown })?.kind)}.`);
}
