#!/usr/bin/env node
// tinybench micro-benchmarks of the shared structures: TopK selection, CRC32, and FlatIndex serialise/load.
// Build first (pnpm build), then: node bench/micro/structures.mjs [--time ms]
import { Bench } from 'tinybench';
import { TopK, Rng, crc32 } from '@annkit/core';
import { FlatIndex } from '@annkit/flat';

const i = process.argv.indexOf('--time');
const time = i >= 0 ? Number(process.argv[i + 1]) : 300;
const rng = new Rng(1);
const dists = Float32Array.from({ length: 100_000 }, () => rng.float());
const bytes = Uint8Array.from({ length: 8 << 20 }, () => rng.nextU32() & 255);
const dim = 100;
const n = 20_000;
const index = new FlatIndex({ dim, metric: 'l2', initialCapacity: n });
index.addBatch(Float64Array.from({ length: n }, (_, j) => j), Float32Array.from({ length: n * dim }, () => rng.float()));
const serialized = index.serialize();
const top = new TopK(100);

const bench = new Bench({ time });
bench
  .add('TopK k=10 over 100k distances', () => {
    top.reset(10);
    for (let j = 0; j < dists.length; j++) if (dists[j] < top.threshold) top.push(dists[j], j);
  })
  .add('TopK k=100 over 100k distances', () => {
    top.reset(100);
    for (let j = 0; j < dists.length; j++) if (dists[j] < top.threshold) top.push(dists[j], j);
  })
  .add('crc32 8 MiB', () => crc32(bytes))
  .add(`FlatIndex.serialize ${n}×${dim}`, () => index.serialize())
  .add(`FlatIndex.deserialize ${n}×${dim}`, () => FlatIndex.deserialize(serialized));
await bench.run();
const mb = (x) => (x / (1 << 20)).toFixed(0);
console.table(
  bench.tasks.map((t) => {
    const mean = t.result.latency?.mean ?? t.result.mean;
    const row = { task: t.name, 'ms/op': mean.toFixed(3), 'ops/s': (1000 / mean).toFixed(1) };
    if (t.name.startsWith('crc32')) row['MiB/s'] = mb((bytes.length * 1000) / mean);
    if (t.name.includes('serialize')) row['MiB/s'] = mb((serialized.length * 1000) / mean);
    return row;
  }),
);
