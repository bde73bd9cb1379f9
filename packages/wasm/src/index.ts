export { loadKernels, loadKernelsSync, requestedBackend, resetKernelsForTesting, resolveKernels } from './loader.js';
export type { BackendChoice, LoadKernelsOptions } from './loader.js';
export { wasmSupport } from './support.js';
export type { WasmSupport } from './support.js';
export { createWasmKernels } from './create.js';
export type { WasmKernels, WasmKernelOptions } from './create.js';
export { WasmHeap } from './heap.js';
export type { HeapStats } from './heap.js';
export { moduleBytes } from './modules.js';
