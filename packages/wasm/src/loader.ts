import { AnnkitError, jsKernels } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { wasmKernelsFrom } from './create.js';
import type { WasmKernels } from './create.js';
import { compileAsync, compileSync, resetModules } from './modules.js';
import { recordFailure, resetSupport, wasmSupport } from './support.js';

export type BackendChoice = 'js' | 'wasm' | 'auto';

export interface LoadKernelsOptions {
  /**
   * 'auto' (default): WASM SIMD where it works, else the TS kernels. 'js' or 'wasm' forces a backend;
   * forcing 'wasm' where it cannot run throws UNSUPPORTED_FEATURE. Without an explicit 'js'/'wasm',
   * the environment variable ANNKIT_KERNELS=js|wasm|auto decides.
   */
  backend?: BackendChoice;
}

const ENV = 'ANNKIT_KERNELS';

function envChoice(): string | undefined {
  // No Node imports: the package runs in browsers, where there is no process.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[ENV];
  return v === undefined || v === '' ? undefined : v.trim().toLowerCase();
}

function isChoice(v: unknown): v is BackendChoice {
  return v === 'js' || v === 'wasm' || v === 'auto';
}

/** The backend asked for: an explicit option wins, then ANNKIT_KERNELS, then 'auto'. */
export function requestedBackend(opts?: LoadKernelsOptions): BackendChoice {
  const opt = opts?.backend;
  if (opt !== undefined && !isChoice(opt)) {
    throw new AnnkitError('INVALID_ARGUMENT', `backend must be 'js', 'wasm' or 'auto', got ${JSON.stringify(opt)}.`);
  }
  if (opt === 'js' || opt === 'wasm') return opt;
  const env = envChoice();
  if (env === undefined) return 'auto';
  if (!isChoice(env)) {
    throw new AnnkitError('INVALID_ARGUMENT', `${ENV} must be 'js', 'wasm' or 'auto', got ${JSON.stringify(env)}: fix or unset the environment variable.`);
  }
  return env;
}

let shared: WasmKernels | undefined;
let pending: Promise<Kernels> | undefined;

function unsupported(reason: string | undefined): AnnkitError {
  return new AnnkitError('UNSUPPORTED_FEATURE', `WebAssembly SIMD kernels were forced (backend 'wasm') but cannot run here: ${reason ?? 'unknown reason'}`);
}

/** Checks support; returns null to use WASM, or the fallback (throws when 'wasm' was forced). */
function fallbackFor(choice: BackendChoice): Kernels | null {
  if (choice === 'js') return jsKernels;
  const support = wasmSupport();
  if (support.simd) return null;
  if (choice === 'wasm') throw unsupported(support.reason);
  return jsKernels;
}

function failed(choice: BackendChoice, e: unknown): Kernels {
  const reason = recordFailure(e);
  if (choice === 'wasm') throw unsupported(reason);
  return jsKernels;
}

/**
 * The kernels to pass to indexes (`kernels` option), memoised: one WASM instance (one heap) per realm.
 * Synchronous: for Node, workers and anywhere a sub-4 KB synchronous compile is allowed.
 */
export function loadKernelsSync(opts?: LoadKernelsOptions): Kernels {
  const choice = requestedBackend(opts);
  const fb = fallbackFor(choice);
  if (fb) return fb;
  if (shared) return shared;
  try {
    return (shared = wasmKernelsFrom(compileSync()));
  } catch (e) {
    return failed(choice, e);
  }
}

/** Like loadKernelsSync, compiling asynchronously (the usual choice on a browser's main thread). */
export function loadKernels(opts?: LoadKernelsOptions): Promise<Kernels> {
  let choice: BackendChoice;
  let fb: Kernels | null;
  try {
    choice = requestedBackend(opts);
    fb = fallbackFor(choice);
  } catch (e) {
    return Promise.reject(e);
  }
  if (fb) return Promise.resolve(fb);
  if (shared) return Promise.resolve(shared);
  // A forced 'wasm' must see its own failure, so it does not share an 'auto' promise that fell back.
  const run = compileAsync().then(
    (modules) => (shared ??= wasmKernelsFrom(modules)),
    (e: unknown) => failed(choice, e),
  );
  if (choice === 'wasm') return run;
  return (pending ??= run);
}

/** Forgets memoised instances, detection and compiled modules (for tests that stub WebAssembly). */
export function resetKernelsForTesting(): void {
  shared = undefined;
  pending = undefined;
  resetModules();
  resetSupport();
}

/**
 * The kernels an index uses for its `kernels` option: loaded kernels are used as given; 'auto' (the default,
 * also when undefined), 'js' and 'wasm' choose a backend as loadKernelsSync does (ANNKIT_KERNELS applies
 * unless 'js'/'wasm' is explicit). The WASM modules are under 4 KB, so the synchronous compile is allowed
 * on every runtime; where WebAssembly SIMD is missing, 'auto' falls back to the TS kernels and
 * wasmSupport().reason says why.
 */
export function resolveKernels(option?: Kernels | BackendChoice): Kernels {
  if (option === undefined || option === 'auto') return loadKernelsSync();
  if (option === 'js' || option === 'wasm') return loadKernelsSync({ backend: option });
  if (option !== null && typeof option === 'object' && typeof (option as Kernels).l2 === 'function' && typeof (option as Kernels).backend === 'string') return option;
  throw new AnnkitError('INVALID_ARGUMENT', `kernels must be 'auto', 'js', 'wasm' or kernels from loadKernels(), got ${typeof option === 'object' ? 'an object without kernels' : JSON.stringify(option)}.`);
}
