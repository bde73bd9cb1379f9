#!/usr/bin/env node
// The engine check of issue 11, every side measured in one run with interleaved rounds, CPU time beside wall:
//  - a default-constructed FlatIndex / HnswIndex against the same index given the WASM kernels explicitly;
//  - every family on this tree against the same family on another checkout (--base DIR: a built worktree of
//    the commit before, e.g. `git worktree add /work/base <rev> && (cd /work/base && pnpm install && pnpm build)`);
//  - HNSW over SQ8 storage: build time against the float build.
// Build first:  pnpm build
// Run:          node bench/micro/engine.mjs [--base /work/base] [--n 50000] [--queries 500] [--rounds 3]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROOT = arg('root', new URL('../../../shared/datasets', import.meta.url).pathname);
const N = Number(arg('n', 50_000));
const NQ = Number(arg('queries', 500));
const ROUNDS = Number(arg('rounds', 3));
const BASE = arg('base', '');
const ONLY = arg('only', '');
const K = 10;

function readVecs(path, limit) {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dim = view.getInt32(0, true);
  const n = Math.min(limit, buf.byteLength / (4 + 4 * dim));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) out.set(new Float32Array(buf.buffer.slice(buf.byteOffset + i * (4 + 4 * dim) + 4, buf.byteOffset + (i + 1) * (4 + 4 * dim))), i * dim);
  return { n, dim, data: out };
}

async function tree(dir) {
  const load = (p) => import(pathToFileURL(join(dir, 'packages', p, 'dist', 'index.js')).href);
  const [wasm, flat, sq, pq, ivf, hnsw, annoy] = await Promise.all(['wasm', 'flat', 'sq', 'pq', 'ivf', 'hnsw', 'annoy'].map(load));
  return { wasm, flat, sq, pq, ivf, hnsw, annoy, kernels: wasm.loadKernelsSync({ backend: 'wasm' }) };
}

/** CPU and wall time of fn(). */
function timed(fn) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  return { value, wall: (performance.now() - w0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

const glove = join(ROOT, 'glove6b-100-angular');
const base = readVecs(join(glove, 'base.fvecs'), N);
const queries = readVecs(join(glove, 'query.fvecs'), NQ);
const dim = base.dim;
const ids = Float64Array.from({ length: base.n }, (_, i) => i);
const train = base.data.subarray(0, Math.min(base.n, 20_000) * dim);
const qs = Array.from({ length: queries.n }, (_, i) => queries.data.subarray(i * dim, (i + 1) * dim));

/** One contender: build() returns an index; search options per family. */
function families(t, kernels) {
  const k = kernels === undefined ? {} : { kernels };
  const m = 'cosine';
  return {
    flat: { make: () => new t.flat.FlatIndex({ dim, metric: m, ...k }) },
    sq8: { make: () => new t.sq.SqIndex({ dim, metric: m, type: 'sq8', ...k }), train: true },
    pq: { make: () => new t.pq.PqIndex({ dim, metric: m, m: 25, niter: 10, ...k }), train: true },
    'ivf-flat': { make: () => new t.ivf.IvfIndex({ dim, metric: m, nlist: 256, niter: 10, ...k }), train: true, opts: { nprobe: 16 } },
    'ivf-pq': { make: () => new t.ivf.IvfIndex({ dim, metric: m, nlist: 256, niter: 10, codec: { type: 'pq', m: 25, niter: 10 }, ...k }), train: true, opts: { nprobe: 16 } },
    hnsw: { make: () => new t.hnsw.HnswIndex({ dim, metric: m, m: 16, efConstruction: 100, ...k }), opts: { efSearch: 64 } },
    'hnsw-sq8': { make: () => new t.hnsw.HnswIndex({ dim, metric: m, m: 16, efConstruction: 100, storage: 'sq8', ...k }), train: true, opts: { efSearch: 64 } },
    annoy: { make: () => new t.annoy.AnnoyIndex({ dim, metric: m, nTrees: 10, ...k }), opts: { searchK: 2000 } },
  };
}

function build(spec) {
  const index = spec.make();
  if (spec.train) index.train(train);
  index.addBatch(ids, base.data);
  if (typeof index.build === 'function' && index.isBuilt === false) index.build();
  return index;
}

function searchAll(index, opts) {
  let sink = 0;
  for (let i = 0; i < qs.length; i++) sink += index.search(qs[i], K, opts).ids.length;
  return sink;
}

const fmt = (x, d = 2) => x.toFixed(d);
const cur = await tree(new URL('../..', import.meta.url).pathname);
const sides = [
  { name: 'default', fams: families(cur, undefined) },
  { name: 'explicit wasm', fams: families(cur, cur.kernels) },
];
if (BASE) {
  const old = await tree(BASE);
  sides.push({ name: 'base (wasm)', fams: families(old, old.kernels) });
}
console.log(`glove ${base.n} × ${dim}, ${qs.length} queries, k=${K}, ${ROUNDS} interleaved rounds; QPS from CPU time (wall in brackets)`);
const names = Object.keys(sides[0].fams).filter((f) => !ONLY || ONLY.split(',').includes(f));
for (const fam of names) {
  const stats = sides.map(() => ({ buildCpu: Infinity, buildWall: Infinity, qpsCpu: 0, qpsWall: 0 }));
  const indexes = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (let s = 0; s < sides.length; s++) {
      const spec = sides[s].fams[fam];
      if (r === 0) {
        const b = timed(() => build(spec));
        indexes[s] = b.value;
        stats[s].buildCpu = b.cpu;
        stats[s].buildWall = b.wall;
      }
      const q = timed(() => searchAll(indexes[s], spec.opts));
      stats[s].qpsCpu = Math.max(stats[s].qpsCpu, qs.length / q.cpu);
      stats[s].qpsWall = Math.max(stats[s].qpsWall, qs.length / q.wall);
    }
  }
  for (const index of indexes) index.free?.();
  const ref = stats[1];
  for (let s = 0; s < sides.length; s++) {
    const st = stats[s];
    console.log(
      `${fam.padEnd(9)} ${sides[s].name.padEnd(14)} build ${fmt(st.buildCpu)} s cpu (${fmt(st.buildWall)} wall)  QPS ${fmt(st.qpsCpu, 0)} (${fmt(st.qpsWall, 0)})` +
        (s === 1 ? '' : `  ×${fmt(st.qpsCpu / ref.qpsCpu)} QPS, ×${fmt(st.buildCpu / ref.buildCpu)} build vs explicit wasm`),
    );
  }
}
