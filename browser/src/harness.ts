import { jsKernels } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { loadKernels, wasmSupport } from '@annkit/wasm';
import { clusteredData } from './data.js';
import { familyEntries } from './families.js';
import type { BackendReport, FamilyReport, HarnessResult } from './report.js';
import { makeContext } from './run-index.js';

/** Sizes small enough for seconds per pass, large enough for graphs, lists and trees to matter. */
const N = 2500;
const NQ = 40;
const DIM = 50; // not a multiple of 4: exercises the padded row stride
const K = 10;

/** Runs every family with `kernels`; a throw inside one family is that family's failure, not the page's. */
async function runBackend(requested: BackendReport['requested'], kernels: Kernels): Promise<BackendReport> {
  const ctx = makeContext(kernels, clusteredData(N, NQ, DIM, 20260601), K, jsKernels);
  const families: FamilyReport[] = [];
  for (const entry of familyEntries()) {
    const t0 = performance.now();
    const report: FamilyReport = { family: entry.family, backend: kernels.backend, status: 'ok', variants: [], ms: 0 };
    if (entry.missing !== undefined) {
      report.status = 'missing';
      report.message = entry.missing;
    } else {
      try {
        report.variants = await entry.run(ctx);
      } catch (e) {
        report.status = 'failed';
        report.message = e instanceof Error ? `${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}` : String(e);
      }
    }
    report.ms = performance.now() - t0;
    families.push(report);
    // Yield so the page stays responsive and progress shows.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { requested, backend: kernels.backend, families };
}

/** Both passes: the WASM kernels as a browser gets them by default, then the forced TS fallback. */
export async function runHarness(): Promise<HarnessResult> {
  const result: HarnessResult = { done: false, userAgent: navigator.userAgent, wasmSupport: wasmSupport(), runs: [] };
  result.runs.push(await runBackend('auto', await loadKernels()));
  result.runs.push(await runBackend('js', await loadKernels({ backend: 'js' })));
  result.wasmSupport = wasmSupport();
  result.done = true;
  return result;
}
