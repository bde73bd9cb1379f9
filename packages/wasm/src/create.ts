import type { Kernels } from '@annkit/core';
import { codeKernels } from './code-kernels.js';
import { floatKernels } from './float-kernels.js';
import { WasmHeap } from './heap.js';
import { compileSync, instantiate } from './modules.js';
import type { KernelModules } from './modules.js';
import { Scratch } from './scratch.js';

export interface WasmKernelOptions {
  /**
   * Bytes reserved once for copies of arguments that live outside WebAssembly memory (default 1 MiB).
   * A call whose out-of-heap arguments do not fit runs on the TS kernel instead: a call never grows memory.
   */
  scratchBytes?: number;
  /** Initial memory in 64 KiB pages (default: enough for the scratch plus 1 MiB). */
  initialPages?: number;
  /** Upper bound on memory growth in pages (default: the engine's limit). */
  maximumPages?: number;
}

/** Kernels whose rows should live in `heap` (one WebAssembly.Memory shared by every module). */
export interface WasmKernels extends Kernels {
  readonly backend: 'wasm-simd128';
  readonly heap: WasmHeap;
  readonly memory: WebAssembly.Memory;
  /** Size of the scratch region for out-of-heap arguments. */
  readonly scratchBytes: number;
}

const DEFAULT_SCRATCH = 1 << 20;

/** Instantiates the kernels over a fresh memory from already compiled modules. */
export function wasmKernelsFrom(modules: KernelModules, opts: WasmKernelOptions = {}): WasmKernels {
  const scratchBytes = Math.max(4096, Math.ceil((opts.scratchBytes ?? DEFAULT_SCRATCH) / 16) * 16);
  const initial = opts.initialPages ?? Math.ceil(scratchBytes / 65536) + 16;
  const memory = new WebAssembly.Memory(opts.maximumPages === undefined ? { initial } : { initial, maximum: opts.maximumPages });
  const ex = instantiate(modules, memory);
  const heap = new WasmHeap(memory);
  const scratch = new Scratch(heap, scratchBytes);
  return Object.freeze({
    backend: 'wasm-simd128' as const,
    heap,
    memory,
    scratchBytes,
    ...floatKernels(ex.float, scratch),
    ...codeKernels(ex.codes, scratch),
  });
}

/**
 * New WASM kernels with their own memory, compiled synchronously. Throws where WebAssembly SIMD is unavailable;
 * most callers want loadKernels()/loadKernelsSync(), which share one instance and fall back to the TS kernels.
 */
export function createWasmKernels(opts: WasmKernelOptions = {}): WasmKernels {
  return wasmKernelsFrom(compileSync(), opts);
}
