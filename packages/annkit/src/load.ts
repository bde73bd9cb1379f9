import { AnnkitError, corrupt } from '@annkit/core';
import type { Kernels, VectorIndex } from '@annkit/core';
import { AnnoyIndex } from '@annkit/annoy';
import { FlatIndex } from '@annkit/flat';
import { HnswIndex } from '@annkit/hnsw';
import { IvfIndex } from '@annkit/ivf';
import { PqIndex } from '@annkit/pq';
import { SqIndex } from '@annkit/sq';
import { currentKernels } from './defaults.js';

type Loader = (bytes: Uint8Array, opts: { kernels: Kernels }) => VectorIndex;

const LOADERS: Record<string, Loader> = {
  FLAT: (b, o) => FlatIndex.deserialize(b, o),
  'SQ  ': (b, o) => SqIndex.deserialize(b, o),
  'PQ  ': (b, o) => PqIndex.deserialize(b, o),
  'IVF ': (b, o) => IvfIndex.deserialize(b, o),
  HNSW: (b, o) => HnswIndex.deserialize(b, o),
  ANOY: (b, o) => AnnoyIndex.deserialize(b, o),
};

/** Loads any .annk bytes by the kind in their header; kernels default to those of init(). */
export function load(bytes: Uint8Array, options?: { kernels?: Kernels }): VectorIndex {
  if (!(bytes instanceof Uint8Array)) throw new AnnkitError('INVALID_ARGUMENT', 'load() takes the Uint8Array that serialize() returned.');
  if (bytes.length < 8 || bytes[0] !== 0x41 || bytes[1] !== 0x4e || bytes[2] !== 0x4e || bytes[3] !== 0x4b) throw corrupt('the bytes do not start with the "ANNK" magic');
  const kind = String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!);
  const loader = LOADERS[kind];
  // An unknown kind may be a damaged header: the family readers check the CRC, so report corruption.
  if (!loader) throw corrupt(`unknown index kind "${kind}"`);
  return loader(bytes, { kernels: options?.kernels ?? currentKernels() });
}
