import { jsKernels } from '@annkit/core';
import type { Kernels } from '@annkit/core';

export type KernelChoice = 'auto' | 'js' | 'wasm';

/** The kernels a benchmark run uses: the WASM SIMD ones when available (or forced), else TypeScript. */
export async function chooseKernels(choice: KernelChoice): Promise<Kernels> {
  if (choice === 'js') return jsKernels;
  try {
    const wasm = (await import('@annkit/wasm')) as { loadKernels?: (o?: { backend?: string }) => Promise<Kernels> };
    if (typeof wasm.loadKernels === 'function') return await wasm.loadKernels({ backend: choice });
  } catch (err) {
    if (choice === 'wasm') throw err;
  }
  if (choice === 'wasm') throw new Error('WASM kernels were requested but @annkit/wasm is not available');
  return jsKernels;
}
