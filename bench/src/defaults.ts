import type { PeerComparison } from './report.js';

/** The dataset the README's main command uses: GloVe built from an npm package, no other download. */
export const DEFAULT_DATASET = 'glove-100-angular-wink-100k';

/**
 * Every annkit family at sensible parameters for ~100k × 100-d vectors (IVF lists: 4·√n = 1265, or 400 for
 * the 10k --quick slice, the same for FAISS), then the native peers (skipped with
 * a one-line reason when not installed). --quick trims the sweeps.
 */
export function defaultIndexes(quick: boolean): string[] {
  const ef = quick ? 'efSearch=16/32/64/128/256' : 'efSearch=10/16/24/32/48/64/96/128/192/256/384';
  const nprobe = quick ? 'nprobe=1/4/16/64' : 'nprobe=1/2/4/8/16/32/64/128';
  const nlist = quick ? 400 : 1265; // about 4·√n, the same for FAISS below

  return [
    'flat',
    `hnsw:m=16,efConstruction=200,${ef}`,
    `ivf:nlist=${nlist},${nprobe}`,
    `ivf:nlist=${nlist},sqBits=8,${nprobe}`,
    `ivf:nlist=${nlist},pqM=50,${nprobe},rerank=0/10`,
    'sq:bits=8,rerank=0/4',
    'pq:m=50,rerank=0/4/16',
    quick ? 'annoy:nTrees=10,searchK=100/400/1600/6400' : 'annoy:nTrees=10',
    'hnswlib-bf',
    `hnswlib:m=16,efConstruction=200,${ef}`,
    `usearch:m=16,efConstruction=200,${ef}`,
    'faiss:Flat',
    `faiss:HNSW16,${ef}`,
    `faiss:IVF${nlist}_Flat,${nprobe}`,
    `faiss:IVF${nlist}_SQ8,${nprobe}`,
  ];
}

export const PEER_PAIRS: readonly PeerComparison[] = [
  { ours: 'annkit-flat Flat', peer: 'hnswlib-node BruteforceSearch' },
  { ours: 'annkit-hnsw HNSW16,efC200', peer: 'hnswlib-node HNSW16,efC200' },
  { ours: 'annkit-hnsw HNSW16,efC200', peer: 'usearch HNSW16,efC200' },
  { ours: 'annkit-hnsw HNSW16,efC200', peer: 'faiss HNSW16' },
  { ours: 'annkit-flat Flat', peer: 'faiss Flat' },
  { ours: 'annkit-ivf IVF1265,Flat', peer: 'faiss IVF1265,Flat' },
  { ours: 'annkit-ivf IVF1265,SQ8', peer: 'faiss IVF1265,SQ8' },
  { ours: 'annkit-ivf IVF400,Flat', peer: 'faiss IVF400,Flat' },
  { ours: 'annkit-ivf IVF400,SQ8', peer: 'faiss IVF400,SQ8' },
];
