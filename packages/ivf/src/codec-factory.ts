import { AnnkitError, corrupt } from '@annkit/core';
import type { ResolvedIvfOptions } from './options.js';
import type { ListCodec } from './list-codec.js';
import { FlatListCodec } from './flat-list-codec.js';
import { SqListCodec } from './sq-list-codec.js';
import { PqListCodec } from './pq-list-codec.js';
import { PqCodec } from '@annkit/pq';

/**
 * The list codec for the options: fresh (untrained unless flat/fp16), or restored from the state bytes
 * a file holds (CORRUPT_DATA when they do not fit).
 */
export function createListCodec(o: ResolvedIvfOptions, state?: Uint8Array): ListCodec {
  switch (o.codec) {
    case 'flat':
      return new FlatListCodec(o.dim, o.metric, o.kernels);
    case 'sq8':
    case 'sq4':
    case 'fp16':
      if (state === undefined) return new SqListCodec(o.dim, o.metric, o.codec, o.byResidual, o.kernels);
      return SqListCodec.fromState(o.dim, o.metric, o.codec, o.byResidual, o.kernels, floatsOf(state));
    case 'pq': {
      const pq = { dim: o.dim, m: o.pqM, nbits: o.pqNbits, niter: o.pqNiter, seed: o.seed, maxPointsPerCentroid: o.maxPointsPerCentroid, kernels: o.kernels };
      if (state === undefined) return PqListCodec.create(o.metric, o.byResidual, pq);
      return new PqListCodec(o.metric, o.byResidual, PqCodec.fromState(pq, floatsOf(state)));
    }
    default:
      throw new AnnkitError('UNSUPPORTED_FEATURE', `IVF codec ${String(o.codec)} is not available.`);
  }
}

/** Float view (or aligned copy) of state bytes; a length that is not whole floats is corrupt. */
export function floatsOf(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw corrupt(`codec state of ${bytes.byteLength} bytes is not whole float32 values`);
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
