import { FlatIndex } from '@annkit/flat';
import type { BenchAdapter } from './types.js';

export function flatAdapter(): BenchAdapter {
  return {
    library: 'annkit-flat',
    label: 'Flat',
    searchGrid: [{}],
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, kernels, onProgress }) {
      const index = new FlatIndex({ dim, metric, kernels, initialCapacity: n });
      const ids = new Float64Array(n);
      for (let i = 0; i < n; i++) ids[i] = i;
      index.addBatch(ids, base, { onProgress });
      return {
        setSearchParams() {},
        search: (q, k) => index.search(q as Float32Array, k).ids,
        memoryBytes: () => index.memoryBytes,
        serializedBytes: () => index.serialize().byteLength,
      };
    },
  };
}
