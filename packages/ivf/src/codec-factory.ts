import { AnnkitError } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { PqCodec } from '@annkit/pq';
import { SqCodec } from '@annkit/sq';
import { CodeListCodec } from './code-list-codec.js';
import { FlatListCodec } from './flat-list-codec.js';
import type { ListCodec } from './list-codec.js';
import type { ResolvedIvfOptions } from './options.js';
import { PqListCodec } from './pq-list-codec.js';

/** A fresh list codec for the options (untrained unless flat/fp16), allocating through `kernels`. */
export function createListCodec(o: ResolvedIvfOptions, kernels: Kernels): ListCodec {
  switch (o.codec) {
    case 'flat':
      return new FlatListCodec(o.dim, o.metric, kernels);
    case 'sq8':
    case 'sq4':
    case 'fp16':
      return new CodeListCodec(o.codec, new SqCodec({ dim: o.dim, type: o.codec, kernels }), o.metric, o.byResidual, kernels);
    case 'pq': {
      const pq = new PqCodec({ dim: o.dim, m: o.pqM, nbits: o.pqNbits, niter: o.pqNiter, seed: o.seed, maxPointsPerCentroid: o.maxPointsPerCentroid, kernels });
      return new PqListCodec(pq, o.metric, o.byResidual, kernels);
    }
    default:
      throw new AnnkitError('UNSUPPORTED_FEATURE', `IVF codec ${String(o.codec)} is not available.`);
  }
}
