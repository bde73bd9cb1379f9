import { loadKernels } from '@annkit/wasm';
import { loadDemoData } from './load.js';
import { buildBoth, measureHnsw } from './measure.js';
import { renderQueries, renderSummary } from './view.js';

/** What the browser test reads once the page is done. */
export interface DemoState {
  backend: string;
  efSearch: number;
  nBase: number;
  nQueries: number;
  recall: number;
  hnswBuildMs: number;
  hnswMsPerQuery: number;
  flatMsPerQuery: number;
}

declare global {
  interface Window {
    __annkitDemo?: DemoState;
  }
}

const status = document.querySelector('#status')!;
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function main(): Promise<void> {
  const data = await loadDemoData();
  const kernels = await loadKernels();
  status.textContent = `Building Flat and HNSW over ${data.nBase.toLocaleString('en')} vectors…`;
  await nextFrame();
  const built = buildBoth(data, kernels);
  const efSelect = document.querySelector<HTMLSelectElement>('#ef')!;
  const run = (): void => {
    const m = measureHnsw(data, built, Number(efSelect.value));
    renderSummary(document.querySelector('#summary')!, data, kernels.backend, built, m);
    renderQueries(document.querySelector('#queries')!, built, m);
    status.textContent = `Done: ${data.source}. Timings are this browser's, on this machine.`;
    window.__annkitDemo = {
      backend: kernels.backend,
      efSearch: m.efSearch,
      nBase: data.nBase,
      nQueries: data.nQueries,
      recall: m.recall,
      hnswBuildMs: built.hnswBuildMs,
      hnswMsPerQuery: m.msPerQuery,
      flatMsPerQuery: built.flatMsPerQuery,
    };
    document.body.dataset.state = 'done';
  };
  efSelect.addEventListener('change', run);
  run();
}

main().catch((e: unknown) => {
  document.body.dataset.state = 'error';
  status.textContent = `The demo failed: ${e instanceof Error ? e.message : String(e)}`;
});
