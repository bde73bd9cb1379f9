#!/usr/bin/env node
// Micro-benchmark of every kernel, TS vs WASM SIMD, in one run (so the ratio compares like with like).
// Build first, then run:  npx tsc -b packages/flat packages/wasm && node bench/micro/kernels.mjs [--time ms] [--dims 128,784] [--only l2Many,sq8L2Many]
// Rows/s = calls/s × rows per call. WASM inputs live in WebAssembly memory (read in place, as indexes keep them);
// outputs are ordinary Float32Arrays (copied back), as an index's scratch would be.
import { Bench } from 'tinybench';
import { jsKernels, Rng } from '@annkit/core';
import { createWasmKernels, wasmSupport } from '@annkit/wasm';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const TIME = Number(arg('time', 150));
const DIMS = arg('dims', '25,100,128,384,784,1536').split(',').map(Number);
const ONLY = arg('only', '')
  .split(',')
  .filter(Boolean);

const support = wasmSupport();
if (!support.simd) {
  console.error(`WASM SIMD unavailable: ${support.reason}`);
  process.exit(1);
}
const wasm = createWasmKernels({ initialPages: 4096 }); // 256 MiB: set-up never grows it
const wasmBuffer = wasm.heap.buffer;
const rng = new Rng(42);

// Inputs for one backend: in its heap when it has one (read in place, as indexes keep rows), else ordinary arrays.
// The memory is made large enough up front, so no allocation grows it and detaches views made earlier.
function inputs(k) {
  const make = (Ctor, n, fill) => {
    const view = k.heap ? new Ctor(k.heap.buffer, k.heap.alloc(n * Ctor.BYTES_PER_ELEMENT), n) : new Ctor(n);
    for (let i = 0; i < n; i++) view[i] = fill();
    return view;
  };
  return {
    floats: (n) => make(Float32Array, n, () => rng.float() * 2 - 1),
    bytes: (n) => make(Uint8Array, n, () => rng.int(256)),
    ints: (n, max) => make(Int32Array, n, () => rng.int(max)),
  };
}

// Each case builds its inputs and returns [rows per call, fn].
const cases = {
  // Pairs: 64 calls per task iteration, so the timer's overhead does not swamp one call.
  l2: (k, a, d) => pairs(k, a, d, 'l2'),
  dot: (k, a, d) => pairs(k, a, d, 'dot'),
  l2Many: (k, a, d, n) => block(k, a, d, n, 'l2Many'),
  dotMany: (k, a, d, n) => block(k, a, d, n, 'dotMany'),
  l2Gather: (k, a, d, n) => {
    const s = (d + 3) & ~3;
    const q = a.floats(s), rows = a.floats(n * 4 * s), slots = a.ints(n, n * 4), out = new Float32Array(n);
    return [n, () => k.l2Gather(q, 0, rows, s, slots, n, d, out)];
  },
  sq8L2Many: (k, a, d, n) => sq(k, a, d, n, 8),
  sq4L2Many: (k, a, d, n) => sq(k, a, d, n, 4),
  pqBuildTable: (k, a, d) => {
    const m = Math.max(1, d >> 2), dsub = Math.ceil(d / m);
    const q = a.floats(m * dsub), cents = a.floats(m * 256 * dsub), table = new Float32Array(m * 256);
    return [m * 256, () => k.pqBuildTable(q, 0, cents, m, 256, dsub, 'l2', table)];
  },
  pqScanBlock: (k, a, d, n) => {
    const m = Math.max(1, d >> 2);
    const table = a.floats(m * 256), codes = a.bytes(n * m), out = new Float32Array(n);
    return [n, () => k.pqScanBlock(table, codes, 0, m, n, out)];
  },
  hammingMany: (k, a, d, n) => {
    const nb = Math.ceil(d / 8);
    const q = a.bytes(nb), codes = a.bytes(n * nb), out = new Float32Array(n);
    return [n, () => k.hammingMany(q, 0, codes, 0, nb, n, nb, out)];
  },
  assignNearest: (k, a, d, n) => {
    const s = (d + 3) & ~3, kc = 64, rows = Math.max(1, n >> 6);
    const x = a.floats(rows * s), c = a.floats(kc * s), idx = new Int32Array(rows), dist = new Float32Array(rows);
    return [rows * kc, () => k.assignNearest(x, 0, s, rows, c, s, kc, d, 'l2', idx, dist)];
  },
};

function pairs(k, a, d, name) {
  const s = (d + 3) & ~3;
  const x = a.floats(s), y = a.floats(64 * s);
  return [
    64,
    () => {
      const xv = x, yv = y;
      let acc = 0;
      for (let i = 0; i < 64; i++) acc += k[name](xv, 0, yv, i * s, d);
      return acc;
    },
  ];
}

function block(k, a, d, n, name) {
  const s = (d + 3) & ~3;
  const q = a.floats(s), rows = a.floats(n * s), out = new Float32Array(n);
  return [n, () => k[name](q, 0, rows, 0, s, n, d, out)];
}

function sq(k, a, d, n, bits) {
  const size = bits === 8 ? d : (d + 1) >> 1;
  const q = a.floats(d), codes = a.bytes(n * size), scale = a.floats(d), offset = a.floats(d), out = new Float32Array(n);
  const name = bits === 8 ? 'sq8L2Many' : 'sq4L2Many';
  return [n, () => k[name](q, 0, codes, 0, size, n, scale, offset, d, out)];
}

const rows = [];
for (const d of DIMS) {
  // About 64K floats of rows per call: large enough to amortise a call, small enough to stay in cache.
  const n = Math.max(64, Math.floor(65536 / d));
  const bench = new Bench({ time: TIME, warmupTime: Math.max(20, TIME / 5) });
  const meta = [];
  for (const [name, make] of Object.entries(cases)) {
    if (ONLY.length && !ONLY.includes(name)) continue;
    for (const k of [jsKernels, wasm]) {
      const alloc = inputs(k);
      const [perCall, fn] = make(k, alloc, d, n);
      bench.add(`${name} d=${d} ${k.backend}`, fn);
      meta.push({ name, d, backend: k.backend, perCall });
    }
  }
  if (wasm.heap.buffer !== wasmBuffer) throw new Error('the WASM memory grew during set-up: raise initialPages');
  await bench.run();
  for (let i = 0; i < meta.length; i += 2) {
    const [ts, wa] = [bench.tasks[i].result, bench.tasks[i + 1].result];
    const tsRows = ts.throughput.mean * meta[i].perCall;
    const waRows = wa.throughput.mean * meta[i + 1].perCall;
    rows.push({ kernel: meta[i].name, d, 'TS rows/s': tsRows, 'WASM rows/s': waRows, ratio: waRows / tsRows });
  }
}

const fmt = (x) => (x >= 1e9 ? `${(x / 1e9).toFixed(2)}G` : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);
console.log(`node ${process.version}, WASM backend ${wasm.backend}, time ${TIME} ms per task`);
const header = ['kernel', 'd', 'TS rows/s', 'WASM rows/s', 'WASM/TS'];
const lines = rows.map((r) => [r.kernel, String(r.d), fmt(r['TS rows/s']), fmt(r['WASM rows/s']), `${r.ratio.toFixed(2)}x`]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const line = (cells) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const l of lines) console.log(line(l));
