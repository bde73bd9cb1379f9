import { jsKernels } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { loadKernels, loadKernelsSync } from '@annkit/wasm';

type LoadOptions = Parameters<typeof loadKernels>[0];

let defaultKernels: Kernels = jsKernels;

/**
 * Loads the WASM SIMD kernels once (falling back to TypeScript where WebAssembly SIMD is unavailable) and
 * makes them the default for indexes that createIndex() and load() make afterwards.
 */
export async function init(options?: LoadOptions): Promise<Kernels> {
  defaultKernels = await loadKernels(options);
  return defaultKernels;
}

/** init() without await, for Node and workers (synchronous WebAssembly compile of the small modules). */
export function initSync(options?: LoadOptions): Kernels {
  defaultKernels = loadKernelsSync(options);
  return defaultKernels;
}

/** The kernels createIndex() and load() use when not given any. */
export function currentKernels(): Kernels {
  return defaultKernels;
}
