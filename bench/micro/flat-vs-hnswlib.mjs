#!/usr/bin/env node
// Flat search QPS (annkit FlatIndex with WASM and TS kernels) vs hnswlib-node's native BruteforceSearch,
// measured in the same run, queries one at a time, k = 10. Also prints recall@10 against the ground truth.
// Build first:  npx tsc -b packages/flat packages/wasm
// Run:          node bench/micro/flat-vs-hnswlib.mjs [--dataset glove6b-100-angular|mnist10k-784-euclidean] [--queries N] [--rounds R]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { jsKernels } from '@annkit/core';
import { FlatIndex } from '@annkit/flat';
import { loadKernelsSync } from '@annkit/wasm';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROOT = arg('root', '/work/shared/datasets');
const DATASETS = arg('dataset', 'glove6b-100-angular,mnist10k-784-euclidean').split(',');
const ROUNDS = Number(arg('rounds', 2));
const K = 10;

/** fvecs: per row an int32 dim, then dim float32 (little-endian). */
function readVecs(path, Ctor) {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dim = view.getInt32(0, true);
  const n = buf.byteLength / (4 + 4 * dim);
  const out = new Ctor(n * dim);
  for (let i = 0; i < n; i++) {
    const row = new Ctor(buf.buffer, buf.byteOffset + i * (4 + 4 * dim) + 4, dim);
    out.set(row, i * dim);
  }
  return { n, dim, data: out };
}

function loadHnswlib() {
  try {
    return createRequire(import.meta.url)('hnswlib-node');
  } catch (e) {
    console.error(`hnswlib-node is not available (${e.message}); only annkit is measured.`);
    return null;
  }
}

function timeQueries(nq, fn) {
  const t0 = performance.now();
  for (let i = 0; i < nq; i++) fn(i);
  return nq / ((performance.now() - t0) / 1000);
}

const hnswlib = loadHnswlib();
const wasm = loadKernelsSync({ backend: 'wasm' });

for (const name of DATASETS) {
  const dir = join(ROOT, name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const base = readVecs(join(dir, 'base.fvecs'), Float32Array);
  const queries = readVecs(join(dir, 'query.fvecs'), Float32Array);
  const gt = readVecs(join(dir, 'groundtruth.ivecs'), Int32Array);
  const nq = Math.min(queries.n, Number(arg('queries', name.startsWith('glove') ? 500 : 1000)));
  const dim = base.dim;
  const metric = meta.metric === 'angular' ? 'cosine' : meta.metric === 'euclidean' ? 'l2' : 'ip';
  const qs = Array.from({ length: nq }, (_, i) => queries.data.subarray(i * dim, (i + 1) * dim));
  const ids = Float64Array.from({ length: base.n }, (_, i) => i);

  const contenders = [];
  for (const kernels of [wasm, jsKernels]) {
    const index = new FlatIndex({ dim, metric, kernels, initialCapacity: base.n });
    index.addBatch(ids, base.data);
    contenders.push({ name: `annkit FlatIndex (${kernels.backend})`, search: (i) => Array.from(index.search(qs[i], K).ids) });
  }
  if (hnswlib) {
    const bf = new hnswlib.BruteforceSearch(metric, dim);
    bf.initIndex(base.n);
    for (let i = 0; i < base.n; i++) bf.addPoint(Array.from(base.data.subarray(i * dim, (i + 1) * dim)), i);
    // hnswlib-node takes plain arrays: convert outside the timed loop.
    const plain = qs.map((q) => Array.from(q));
    contenders.push({ name: 'hnswlib-node BruteforceSearch', search: (i) => bf.searchKnn(plain[i], K).neighbors });
  }

  // Warm up, then alternate rounds so drift on a shared machine hits every contender alike.
  for (const c of contenders) timeQueries(Math.min(nq, 50), c.search);
  const qps = contenders.map(() => []);
  for (let r = 0; r < ROUNDS; r++) contenders.forEach((c, j) => qps[j].push(timeQueries(nq, c.search)));
  const gtK = gt.dim;
  console.log(`\n${name}: n=${base.n}, d=${dim}, metric=${metric}, ${nq} queries one at a time, k=${K}, best of ${ROUNDS} rounds`);
  const peer = contenders.findIndex((c) => c.name.startsWith('hnswlib'));
  for (let j = 0; j < contenders.length; j++) {
    let hits = 0;
    for (let i = 0; i < nq; i++) {
      const truth = new Set(gt.data.subarray(i * gtK, i * gtK + K));
      for (const id of contenders[j].search(i)) if (truth.has(id)) hits++;
    }
    const best = Math.max(...qps[j]);
    const ratio = peer >= 0 ? ` (${(best / Math.max(...qps[peer])).toFixed(2)}x hnswlib)` : '';
    console.log(`  ${contenders[j].name.padEnd(36)} ${best.toFixed(1).padStart(9)} QPS${ratio}  recall@10 ${(hits / (nq * K)).toFixed(4)}`);
  }
}
