import type { HarnessResult } from './report.js';
import { runHarness } from './harness.js';

declare global {
  interface Window {
    __annkitHarness?: HarnessResult;
  }
}

function render(result: HarnessResult): void {
  const rows = result.runs.flatMap((run) =>
    run.families.map((f) => {
      const recall = f.variants.map((v) => (Number.isNaN(v.recall) ? '–' : v.recall.toFixed(3))).join(' / ');
      return `<tr class="${f.status}"><td>${run.backend}</td><td>${f.family}</td><td>${f.status}</td><td>${recall}</td><td>${f.ms.toFixed(0)} ms</td><td>${escape(f.message ?? '')}</td></tr>`;
    }),
  );
  document.querySelector('#out')!.innerHTML = `<table><tr><th>kernels</th><th>family</th><th>status</th><th>recall@10 per variant</th><th>time</th><th>message</th></tr>${rows.join('')}</table>`;
}

function escape(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

runHarness().then(
  (result) => {
    render(result);
    window.__annkitHarness = result;
  },
  (e: unknown) => {
    const fatal = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    window.__annkitHarness = { done: true, userAgent: navigator.userAgent, wasmSupport: { simd: false }, runs: [], fatal };
    document.querySelector('#out')!.textContent = fatal;
  },
);
