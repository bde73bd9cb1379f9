import { parseFvecs } from '@annkit/datasets';
import type { Metric } from '@annkit/core';

export interface DemoData {
  name: string;
  source: string;
  metric: Metric;
  dim: number;
  base: Float32Array;
  nBase: number;
  queries: Float32Array;
  nQueries: number;
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}: serve the dataset slice under /data/ (see browser/README.md).`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The slice the server put under /data/: meta.json plus fvecs bytes, parsed with @annkit/datasets. */
export async function loadDemoData(): Promise<DemoData> {
  const dataUrl = new URL('../data/', location.href);
  const metaRes = await fetch(new URL('meta.json', dataUrl));
  if (!metaRes.ok) throw new Error(`GET /data/meta.json answered ${metaRes.status}: serve the dataset slice under /data/.`);
  const meta = (await metaRes.json()) as { name: string; source: string; metric: Metric };
  const [baseBytes, queryBytes] = await Promise.all([fetchBytes(new URL('base.fvecs', dataUrl)), fetchBytes(new URL('query.fvecs', dataUrl))]);
  const base = parseFvecs(baseBytes);
  const queries = parseFvecs(queryBytes);
  if (base.dim !== queries.dim) throw new Error(`base has dim ${base.dim} but queries have dim ${queries.dim}`);
  return { name: meta.name, source: meta.source, metric: meta.metric, dim: base.dim, base: base.data, nBase: base.n, queries: queries.data, nQueries: queries.n };
}
