import type { SearchResult } from '@annkit/core';
import type { DemoData } from './load.js';
import type { Built, Measured } from './measure.js';

const SHOWN_QUERIES = 3;
const SHOWN_RANKS = 10;

function card(label: string, value: string, sub = ''): string {
  return `<div class="card"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
}

function ms(x: number): string {
  return x < 1 ? `${(x * 1000).toFixed(0)} µs` : x < 1000 ? `${x.toFixed(x < 10 ? 2 : 0)} ms` : `${(x / 1000).toFixed(2)} s`;
}

export function renderSummary(el: Element, data: DemoData, backend: string, built: Built, m: Measured): void {
  const speedup = built.flatMsPerQuery / m.msPerQuery;
  el.innerHTML = [
    card('dataset', data.name, `${data.nBase.toLocaleString('en')} × ${data.dim}, ${data.metric}, ${data.nQueries} queries`),
    card('kernels', backend, backend === 'js' ? 'TypeScript fallback' : 'WebAssembly SIMD'),
    card('HNSW build', `${ms(built.hnswBuildMs)}`, `m=16, efConstruction=100 · Flat: ${ms(built.flatBuildMs)}`),
    card('HNSW index size', `${(built.hnswBytes / 1024 / 1024).toFixed(2)} MiB`, 'serialize() bytes'),
    card('recall@10', m.recall.toFixed(3), `HNSW efSearch=${m.efSearch} vs exact Flat`),
    card('HNSW query', ms(m.msPerQuery), `${Math.round(1000 / m.msPerQuery).toLocaleString('en')} queries/s, one at a time`),
    card('Flat query', ms(built.flatMsPerQuery), `exact scan · HNSW is ${speedup.toFixed(1)}× faster`),
  ].join('');
}

function neighbourTable(truth: SearchResult, approx: SearchResult): string {
  const exact = new Set(truth.ids);
  const rows: string[] = [];
  for (let r = 0; r < Math.min(SHOWN_RANKS, truth.ids.length); r++) {
    const a = approx.ids[r];
    const cls = a === undefined ? '' : exact.has(a) ? 'hit' : 'miss';
    rows.push(
      `<tr><td>${r + 1}</td><td>${truth.ids[r]}</td><td>${truth.distances[r].toFixed(4)}</td><td class="${cls}">${a ?? '–'}</td><td class="${cls}">${a === undefined ? '' : approx.distances[r].toFixed(4)}</td></tr>`,
    );
  }
  return `<table><tr><th>#</th><th>Flat id</th><th>distance</th><th>HNSW id</th><th>distance</th></tr>${rows.join('')}</table>`;
}

export function renderQueries(el: Element, built: Built, m: Measured): void {
  const parts: string[] = [];
  for (let q = 0; q < Math.min(SHOWN_QUERIES, m.results.length); q++) {
    const hits = m.results[q].ids.filter((id) => built.truth[q].ids.includes(id)).length;
    parts.push(`<div class="query"><h3>query ${q} <small>${hits}/${built.truth[q].ids.length} of the exact top 10 found</small></h3>${neighbourTable(built.truth[q], m.results[q])}</div>`);
  }
  el.innerHTML = parts.join('');
}
