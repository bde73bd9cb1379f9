import { CODES_WASM } from './generated/codes.js';
import { FLOAT_WASM } from './generated/float.js';

/** Exports of wat/float.wat (pointers and strides in bytes; kind 0 = l2, 1 = dot). */
export interface FloatExports {
  l2(a: number, b: number, dim: number): number;
  dot(a: number, b: number, dim: number): number;
  many(kind: number, q: number, rows: number, stride: number, slots: number, n: number, dim: number, out: number): void;
  assign(kind: number, rows: number, stride: number, n: number, cents: number, cstride: number, k: number, dim: number, outIdx: number, outDist: number): void;
  pq_table(kind: number, q: number, cents: number, m: number, ksub: number, dsub: number, table: number): void;
}

/** Exports of wat/codes.wat. */
export interface CodeExports {
  sq_many(kind: number, bits: number, q: number, codes: number, stride: number, slots: number, n: number, scale: number, offset: number, dim: number, out: number, tmp: number): void;
  half_many(kind: number, q: number, codes: number, stride: number, slots: number, n: number, dim: number, out: number): void;
  sq8_l2_prepared(t: number, codes: number, stride: number, slots: number, n: number, scale: number, dim: number, out: number): void;
  pq_scan(bits: number, table: number, codes: number, stride: number, slots: number, n: number, m: number, out: number): void;
  hamming(a: number, b: number, n: number): number;
  ham_many(q: number, codes: number, stride: number, slots: number, n: number, bytes: number, out: number): void;
}

export interface KernelModules {
  float: WebAssembly.Module;
  codes: WebAssembly.Module;
}

export interface KernelInstances {
  float: FloatExports;
  codes: CodeExports;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // atob exists in browsers, workers and Node >= 16; no Buffer so the package stays browser-safe.
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let bytesCache: { float: Uint8Array<ArrayBuffer>; codes: Uint8Array<ArrayBuffer> } | undefined;

/** The module bytes (decoded once). */
export function moduleBytes(): { float: Uint8Array<ArrayBuffer>; codes: Uint8Array<ArrayBuffer> } {
  return (bytesCache ??= { float: decodeBase64(FLOAT_WASM), codes: decodeBase64(CODES_WASM) });
}

let compiled: KernelModules | undefined;

/** Synchronous compile (allowed everywhere: each module is under 4 KB). Memoised. */
export function compileSync(): KernelModules {
  if (compiled) return compiled;
  const b = moduleBytes();
  return (compiled = { float: new WebAssembly.Module(b.float), codes: new WebAssembly.Module(b.codes) });
}

/** Asynchronous compile, memoised with the synchronous one. */
export async function compileAsync(): Promise<KernelModules> {
  if (compiled) return compiled;
  const b = moduleBytes();
  const [float, codes] = await Promise.all([WebAssembly.compile(b.float), WebAssembly.compile(b.codes)]);
  return (compiled ??= { float, codes });
}

/** Instantiates both modules over one memory, so a single heap serves every kernel. */
export function instantiate(modules: KernelModules, memory: WebAssembly.Memory): KernelInstances {
  const imports = { env: { memory } };
  return {
    float: new WebAssembly.Instance(modules.float, imports).exports as unknown as FloatExports,
    codes: new WebAssembly.Instance(modules.codes, imports).exports as unknown as CodeExports,
  };
}

/** Forgets compiled modules (tests that stub WebAssembly). */
export function resetModules(): void {
  compiled = undefined;
}
