import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFvecs } from '@annkit/datasets';
import type { BenchAdapter, BuiltIndex, ExternalRun } from './types.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'peers', 'faiss_bench.py');

/** Grid of the factory's query parameter: nprobe for IVF, efSearch for HNSW, none for Flat. */
function gridFor(factory: string, values?: number[]): Record<string, number>[] {
  if (/^IVF/i.test(factory)) return (values ?? [1, 2, 4, 8, 16, 32, 64, 128]).map((nprobe) => ({ nprobe }));
  if (/^HNSW/i.test(factory)) return (values ?? [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384]).map((efSearch) => ({ efSearch }));
  return [{}];
}

/**
 * Native FAISS (Debian's python3-faiss) through its index factory, one thread. FAISS builds and times
 * its own queries (one at a time, in Python, so no IPC is inside the timing); the harness computes recall
 * from the ids it returns, as for every other row.
 */
export function faissAdapter(factory: string, values?: number[]): BenchAdapter {
  const grid = gridFor(factory, values);
  return {
    library: 'faiss',
    label: factory,
    backend: 'native',
    searchGrid: grid,
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base }): BuiltIndex {
      let memoryBytes = NaN;
      const run: ExternalRun = (queries, k, warmup) => {
        const dir = mkdtempSync(join(tmpdir(), 'annkit-faiss-'));
        try {
          const nq = queries.length;
          const flat = new Float32Array(nq * dim);
          queries.forEach((q, i) => flat.set(q, i * dim));
          writeFileSync(join(dir, 'base.fvecs'), encodeFvecs(base, dim));
          writeFileSync(join(dir, 'query.fvecs'), encodeFvecs(flat, dim));
          const args = [SCRIPT, '--base', join(dir, 'base.fvecs'), '--queries', join(dir, 'query.fvecs'), '--metric', metric, '--factory', factory, '--grid', JSON.stringify(grid), '--k', String(k), '--warmup', String(warmup), '--out', join(dir, 'ids.bin')];
          const proc = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
          if (proc.error) throw new Error(`SKIP: faiss peer needs /usr/bin/python3 (${proc.error.message})`);
          if (proc.status !== 0) throw new Error(`faiss peer failed: ${proc.stderr.split('\n').filter(Boolean).pop() ?? proc.status}`);
          const report = JSON.parse(proc.stdout) as { skip?: string; buildSeconds: number; memoryBytes: number; points: { latenciesMs: number[] }[] };
          if (report.skip) throw new Error(`SKIP: ${report.skip}`);
          memoryBytes = report.memoryBytes;
          // Copy out of the Buffer: small files are views into Node's shared pool.
          const ids = new Int32Array(new Uint8Array(readFileSync(join(dir, 'ids.bin'))).buffer);
          return {
            buildSeconds: report.buildSeconds,
            points: report.points.map((p, g) => ({
              latenciesMs: Float64Array.from(p.latenciesMs),
              results: Array.from({ length: nq }, (_, i) => ids.subarray((g * nq + i) * k, (g * nq + i + 1) * k)),
            })),
          };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      };
      return {
        setSearchParams() {},
        search: () => {
          throw new Error('the FAISS peer runs its queries itself (runAll)');
        },
        runAll: run,
        memoryBytes: () => memoryBytes,
      };
    },
  };
}
