import { moduleBytes } from './modules.js';

export interface WasmSupport {
  /** Whether the WebAssembly SIMD kernels can run here. */
  simd: boolean;
  /** Why not, when simd is false. */
  reason?: string;
}

let detected: WasmSupport | undefined;
let failure: string | undefined;

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function detect(): WasmSupport {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof wa !== 'object' || wa === null || typeof wa.validate !== 'function') {
    return { simd: false, reason: 'WebAssembly is not available in this environment; using the TypeScript kernels.' };
  }
  try {
    // The kernels use only the MVP plus simd128, so a failed validation means no SIMD support.
    const bytes = moduleBytes();
    if (!wa.validate(bytes.float) || !wa.validate(bytes.codes)) {
      return { simd: false, reason: 'This engine does not validate WebAssembly SIMD (simd128) modules; using the TypeScript kernels.' };
    }
  } catch (e) {
    return { simd: false, reason: `WebAssembly.validate failed (${message(e)}); using the TypeScript kernels.` };
  }
  return { simd: true };
}

/**
 * Whether the WASM SIMD kernels are usable here, and why not. Detection runs once; a later failure
 * to compile or instantiate (e.g. a Content-Security-Policy without 'wasm-unsafe-eval') is reported too.
 */
export function wasmSupport(): WasmSupport {
  if (failure !== undefined) return { simd: false, reason: failure };
  return (detected ??= detect());
}

/** Records a failure found while loading (compile, instantiate). */
export function recordFailure(e: unknown): string {
  failure = `Compiling or instantiating the WebAssembly kernels failed (${message(e)}); using the TypeScript kernels.`;
  return failure;
}

export function resetSupport(): void {
  detected = undefined;
  failure = undefined;
}
