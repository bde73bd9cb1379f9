import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_FAMILIES } from 'annkit';
import { buildPages } from '../node/build-pages.js';
import { chromiumMissing, launchChromium } from '../node/chromium.js';
import { dataFiles } from '../node/data-files.js';
import { datasetSlice } from '../node/dataset-slice.js';
import { REPO_DIR } from '../node/paths.js';
import { serveStatic } from '../node/server.js';
import type { StaticServer } from '../node/server.js';
import type { HarnessResult } from '../src/report.js';
import type { DemoState } from '../demo/main.js';

/**
 * Families whose package must be implemented: a 'missing' one (its class not exported yet) fails the
 * test. A family that is exported but breaks in the page always fails, listed here or not.
 */
const REQUIRED_FAMILIES = [...BUILTIN_FAMILIES.map((f) => f.kind), 'kmeans'];
/** Every family the in-page table (browser/src/families.ts, from annkit's registry) must report on. */
const ALL_FAMILIES = REQUIRED_FAMILIES;

const SCREENSHOT = join(process.env.ANNKIT_SCREENSHOT_DIR ?? join(REPO_DIR, '.cache', 'browser'), 'demo.png');
const DEMO_BASE_ROWS = 10_000;
const DEMO_QUERIES = 100;

/** Console errors and uncaught exceptions of a page, to explain a failure. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  return problems;
}

/** Waits for `ready` in the page, failing at once (not at the timeout) when the page throws first. */
async function waitUnlessCrashed(page: Page, ready: () => boolean, timeout: number): Promise<void> {
  let onError: (e: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    onError = (e) => reject(new Error(`the page threw before it was done: ${e.message}\n${e.stack ?? ''}`));
    page.once('pageerror', onError);
  });
  try {
    await Promise.race([page.waitForFunction(ready, null, { timeout, polling: 250 }), crashed]);
  } finally {
    page.off('pageerror', onError);
  }
}

describe('annkit in headless Chromium (Debian, driven by playwright-core)', () => {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;

  beforeAll(async () => {
    const missing = chromiumMissing();
    if (missing) throw new Error(missing);
    const outDir = await buildPages();
    server = await serveStatic(outDir, dataFiles(datasetSlice(DEMO_BASE_ROWS, DEMO_QUERIES)));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('builds, searches and round-trips every index family with the WASM kernels and with the TS fallback', async () => {
    const page = await browser!.newPage();
    const problems = watch(page);
    await page.goto(`${server!.url}/harness/index.html`);
    await waitUnlessCrashed(page, () => (window as { __annkitHarness?: HarnessResult }).__annkitHarness?.done === true, 180_000);
    const result = (await page.evaluate(() => (window as { __annkitHarness?: HarnessResult }).__annkitHarness))!;
    await page.close();

    expect(result.fatal, `the harness page crashed:\n${result.fatal}\n${problems.join('\n')}`).toBeUndefined();
    expect(result.wasmSupport, 'Chromium must run the WebAssembly SIMD kernels').toEqual({ simd: true });
    expect(result.runs.map((r) => [r.requested, r.backend])).toEqual([
      ['auto', 'wasm-simd128'],
      ['js', 'js'],
    ]);

    const failures: string[] = [];
    for (const run of result.runs) {
      const seen = run.families.map((f) => f.family);
      for (const family of ALL_FAMILIES) if (!seen.includes(family)) failures.push(`[${run.backend}] ${family}: not in the page's family table`);
      for (const f of run.families) {
        if (f.status === 'failed') failures.push(`[${run.backend}] ${f.family} failed in the page: ${f.message}`);
        if (f.status === 'missing' && REQUIRED_FAMILIES.includes(f.family)) failures.push(`[${run.backend}] ${f.family} is required but ${f.message}`);
      }
    }
    console.log(summarise(result));
    expect(failures, `${failures.join('\n\n')}\n${problems.join('\n')}`).toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);

  it('the demo page loads a dataset slice, builds Flat and HNSW and shows neighbours, recall and timings (screenshot)', async () => {
    const page = await browser!.newPage({ viewport: { width: 1180, height: 900 } });
    const problems = watch(page);
    await page.goto(`${server!.url}/demo/index.html`);
    await waitUnlessCrashed(page, () => document.body.dataset.state !== 'loading', 150_000);
    const state = await page.evaluate(() => document.body.dataset.state);
    const status = await page.textContent('#status');
    expect(state, `the demo failed: ${status}\n${problems.join('\n')}`).toBe('done');
    const demo = (await page.evaluate(() => (window as { __annkitDemo?: DemoState }).__annkitDemo))!;
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const cards = await page.locator('.card').count();
    const neighbourRows = await page.locator('#queries tr').count();
    // As a person would: widen the search and see recall rise (never fall) on the same queries.
    await page.selectOption('#ef', '256');
    await page.waitForFunction(() => (window as { __annkitDemo?: DemoState }).__annkitDemo?.efSearch === 256, null, { timeout: 30_000 });
    const wider = (await page.evaluate(() => (window as { __annkitDemo?: DemoState }).__annkitDemo))!;
    await page.close();

    console.log(`demo: ${demo.nBase} vectors, ${demo.nQueries} queries, kernels ${demo.backend}, HNSW build ${demo.hnswBuildMs.toFixed(0)} ms, ` +
      `${demo.hnswMsPerQuery.toFixed(3)} ms/query vs Flat ${demo.flatMsPerQuery.toFixed(3)} ms/query, recall@10 ${demo.recall.toFixed(3)}; screenshot ${SCREENSHOT}`);
    expect(demo.backend).toBe('wasm-simd128');
    expect(demo.nBase).toBe(DEMO_BASE_ROWS);
    expect(demo.nQueries).toBe(DEMO_QUERIES);
    expect(demo.recall).toBeGreaterThanOrEqual(0.9);
    expect(cards).toBeGreaterThanOrEqual(6);
    expect(neighbourRows).toBeGreaterThan(8);
    expect(wider.recall).toBeGreaterThanOrEqual(demo.recall);
    expect(problems).toEqual([]);
  }, 200_000);
});

function summarise(result: HarnessResult): string {
  const lines = [`browser: ${result.userAgent}`];
  for (const run of result.runs) {
    for (const f of run.families) {
      const variants = f.variants.map((v) => `${v.variant} ${v.metric}${Number.isNaN(v.recall) ? '' : ` recall ${v.recall.toFixed(3)}`} ${v.bytes} B`).join('; ');
      lines.push(`  [${run.backend}] ${f.family.padEnd(6)} ${f.status.padEnd(7)} ${f.ms.toFixed(0).padStart(6)} ms  ${f.status === 'ok' ? variants : (f.message ?? '').split('\n')[0]}`);
    }
  }
  return lines.join('\n');
}
