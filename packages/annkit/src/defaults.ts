import type { Kernels } from '@annkit/core';
import { loadKernels, loadKernelsSync, resolveKernels } from '@annkit/wasm';

type LoadOptions = Parameters<typeof loadKernels>[0];

/** Kernels init() chose for createIndex() and load(); undefined leaves each index to its default ('auto'). */
let chosen: Kernels | undefined;

/**
 * Optional: every index already uses the WASM SIMD kernels by default (TypeScript where the runtime lacks
 * WebAssembly SIMD), compiled synchronously on first use. init() compiles them ahead, asynchronously (for a
 * page that prefers no synchronous compile on first use), and returns them; with `{ backend: 'js' }` it
 * makes createIndex() and load() use the TypeScript kernels instead.
 */
export async function init(options?: LoadOptions): Promise<Kernels> {
  chosen = await loadKernels(options);
  return chosen;
}

/** init() without await. */
export function initSync(options?: LoadOptions): Kernels {
  chosen = loadKernelsSync(options);
  return chosen;
}

/** The kernels createIndex() and load() use when not given any: init()'s, else the default ('auto'). */
export function currentKernels(): Kernels {
  return chosen ?? resolveKernels('auto');
}

/** init()'s kernels, if it ran: what createIndex() and load() pass when the caller names none. */
export function chosenKernels(): Kernels | undefined {
  return chosen;
}
