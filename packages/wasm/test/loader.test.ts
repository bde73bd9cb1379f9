import { AnnkitError, jsKernels } from '@annkit/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadKernels, loadKernelsSync, requestedBackend, resetKernelsForTesting, wasmSupport } from '../src/index.js';

const ENV = 'ANNKIT_KERNELS';
let savedEnv: string | undefined;

beforeEach(() => {
  savedEnv = process.env[ENV];
  delete process.env[ENV];
  resetKernelsForTesting();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  if (savedEnv === undefined) delete process.env[ENV];
  else process.env[ENV] = savedEnv;
  resetKernelsForTesting();
});

function code(e: unknown): string | undefined {
  return e instanceof AnnkitError ? e.code : undefined;
}

describe('backend choice', () => {
  it('an explicit option wins over ANNKIT_KERNELS, which wins over auto', () => {
    expect(requestedBackend()).toBe('auto');
    process.env[ENV] = 'js';
    expect(requestedBackend()).toBe('js');
    expect(requestedBackend({ backend: 'auto' })).toBe('js');
    expect(requestedBackend({ backend: 'wasm' })).toBe('wasm');
    process.env[ENV] = ' WASM ';
    expect(requestedBackend()).toBe('wasm');
  });

  it('rejects unknown values with INVALID_ARGUMENT', async () => {
    expect(() => requestedBackend({ backend: 'gpu' as never })).toThrow(AnnkitError);
    process.env[ENV] = 'fast';
    expect(() => loadKernelsSync()).toThrow(/ANNKIT_KERNELS/);
    await expect(loadKernels()).rejects.toSatisfy((e) => code(e) === 'INVALID_ARGUMENT');
  });

  it('forcing js gives the TS kernels, by option or environment variable', async () => {
    expect(loadKernelsSync({ backend: 'js' })).toBe(jsKernels);
    expect(await loadKernels({ backend: 'js' })).toBe(jsKernels);
    process.env[ENV] = 'js';
    expect(loadKernelsSync()).toBe(jsKernels);
    expect(await loadKernels()).toBe(jsKernels);
  });
});

describe.runIf(wasmSupport().simd)('with WebAssembly SIMD', () => {
  it('auto picks WASM; sync and async share one memoised instance', async () => {
    const a = await loadKernels();
    expect(a.backend).toBe('wasm-simd128');
    expect(a.heap).not.toBeNull();
    expect(await loadKernels()).toBe(a);
    expect(loadKernelsSync()).toBe(a);
    expect(loadKernelsSync({ backend: 'wasm' })).toBe(a);
    expect(wasmSupport()).toEqual({ simd: true });
  });

  it('concurrent async loads resolve to the same instance', async () => {
    const [a, b] = await Promise.all([loadKernels(), loadKernels()]);
    expect(a).toBe(b);
  });

  it('ANNKIT_KERNELS=wasm selects WASM', () => {
    process.env[ENV] = 'wasm';
    expect(loadKernelsSync().backend).toBe('wasm-simd128');
  });
});

describe('fallback to the TS kernels, with the reason reported', () => {
  it('without SIMD (WebAssembly.validate fails)', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(await loadKernels()).toBe(jsKernels);
    expect(loadKernelsSync()).toBe(jsKernels);
    const s = wasmSupport();
    expect(s.simd).toBe(false);
    expect(s.reason).toMatch(/SIMD/);
    // Forcing WASM where it cannot run is an error, not a silent fallback.
    expect(() => loadKernelsSync({ backend: 'wasm' })).toThrow(/SIMD/);
    await expect(loadKernels({ backend: 'wasm' })).rejects.toSatisfy((e) => code(e) === 'UNSUPPORTED_FEATURE');
  });

  it('without WebAssembly at all', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(loadKernelsSync()).toBe(jsKernels);
    expect(await loadKernels()).toBe(jsKernels);
    expect(wasmSupport().reason).toMatch(/not available/);
  });

  it('when compiling is refused (a Content-Security-Policy without wasm-unsafe-eval)', async () => {
    const message = "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source";
    // What a browser does under such a policy: both compile paths throw.
    vi.spyOn(WebAssembly, 'Module').mockImplementation(function refuse(): never {
      throw new WebAssembly.CompileError(message);
    } as never);
    vi.spyOn(WebAssembly, 'compile').mockImplementation(async () => {
      throw new WebAssembly.CompileError(message);
    });
    expect(await loadKernels()).toBe(jsKernels);
    expect(wasmSupport()).toMatchObject({ simd: false, reason: expect.stringMatching(/Refused to compile/) });
    resetKernelsForTesting();
    expect(loadKernelsSync()).toBe(jsKernels);
    expect(wasmSupport().reason).toMatch(/Refused to compile/);
    expect(() => loadKernelsSync({ backend: 'wasm' })).toThrow(/Refused/);
  });
});
