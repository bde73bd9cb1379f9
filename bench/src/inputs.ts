import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Metric, ProgressEvent } from '@annkit/core';
import { computeGroundTruth, metricFromMeta, parseBvecs, parseFvecs, parseIvecs } from '@annkit/datasets';
import type { Dataset } from '@annkit/datasets';
import { loadDataset, loadDatasetFolder } from '@annkit/datasets/node';

export interface InputOptions {
  maxBase?: number;
  maxQueries?: number;
  /** Metric for inputs that don't say (TEXMEX and big-ann folders); default l2. */
  metric?: Metric;
  onProgress?: (e: ProgressEvent) => void;
}

/**
 * A dataset from a registry name, or a path: an ann-benchmarks HDF5 file (train/test/neighbors), a folder
 * with meta.json (annkit layout), or a TEXMEX / big-ann folder (`*base.fvecs|bvecs|fbin|u8bin`,
 * `*query.*`, optional `*groundtruth.ivecs` or `*.ibin`). Ground truth is computed exactly when absent
 * or when the base is cut with maxBase.
 */
export async function loadInput(spec: string, opts: InputOptions = {}): Promise<Dataset> {
  const path = resolve(spec);
  if (!existsSync(path)) return loadDataset(spec, { maxBase: opts.maxBase, maxQueries: opts.maxQueries, onProgress: opts.onProgress, quiet: true });
  if (statSync(path).isFile()) {
    if (/\.(hdf5|h5)$/i.test(path)) return readHdf5(path, opts);
    throw new Error(`${spec}: expected an .hdf5 file or a dataset folder`);
  }
  if (existsSync(join(path, 'meta.json')) && existsSync(join(path, 'base.fvecs'))) {
    return loadDatasetFolder(path, { maxBase: opts.maxBase, maxQueries: opts.maxQueries, onProgress: opts.onProgress, quiet: true });
  }
  return readVectorFolder(path, opts);
}

async function readVectorFolder(dir: string, opts: InputOptions): Promise<Dataset> {
  const files = readdirSync(dir);
  const find = (re: RegExp) => files.find((f) => re.test(f));
  const baseFile = find(/base\.(fvecs|bvecs|fbin|u8bin)$/i);
  const queryFile = find(/query\.(fvecs|bvecs|fbin|u8bin)$/i);
  if (!baseFile || !queryFile) throw new Error(`${dir}: no *base.(fvecs|bvecs|fbin|u8bin) and *query.* files found`);
  const base = await readMatrix(join(dir, baseFile), opts.maxBase);
  const queries = await readMatrix(join(dir, queryFile), opts.maxQueries);
  if (base.dim !== queries.dim) throw new Error(`${dir}: base dim ${base.dim} and query dim ${queries.dim} differ`);
  const metric = opts.metric ?? 'l2';
  const gtFile = find(/groundtruth\.ivecs$/i) ?? find(/\.ibin$/i);
  const full = opts.maxBase === undefined || base.fullN <= opts.maxBase;
  let gt: { data: Int32Array; k: number } | undefined;
  if (gtFile && full) gt = await readGroundTruth(join(dir, gtFile), queries.n);
  gt ??= exactGroundTruth(base.data, queries.data, base.dim, queries.n, base.n, metric, opts.onProgress);
  return { name: basename(dir), metric, dim: base.dim, base: base.data, nBase: base.n, queries: queries.data, nQueries: queries.n, groundTruth: gt.data, gtK: gt.k };
}

interface Matrix {
  data: Float32Array;
  n: number;
  dim: number;
  fullN: number;
}

/** Reads fvecs/bvecs (TEXMEX) or fbin/u8bin (big-ann: u32 n, u32 dim, then rows) into float32 rows. */
export async function readMatrix(path: string, limit?: number): Promise<Matrix> {
  const bytes = new Uint8Array(await readFile(path));
  if (/\.fvecs$/i.test(path) || /\.bvecs$/i.test(path)) {
    const isF = /\.fvecs$/i.test(path);
    const all = isF ? parseFvecs(bytes) : parseBvecs(bytes);
    const n = limit === undefined ? all.n : Math.min(limit, all.n);
    return { data: Float32Array.from(all.data.subarray(0, n * all.dim)), n, dim: all.dim, fullN: all.n };
  }
  if (bytes.byteLength < 8) throw new Error(`${path}: shorter than the 8-byte big-ann header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fullN = view.getUint32(0, true);
  const dim = view.getUint32(4, true);
  const width = /\.fbin$/i.test(path) ? 4 : 1;
  if (dim < 1 || 8 + fullN * dim * width !== bytes.byteLength) throw new Error(`${path}: header says ${fullN} × ${dim} but the file holds ${bytes.byteLength} bytes`);
  const n = limit === undefined ? fullN : Math.min(limit, fullN);
  const data = new Float32Array(n * dim);
  if (width === 4) data.set(new Float32Array(bytes.slice(8, 8 + n * dim * 4).buffer));
  else for (let i = 0; i < n * dim; i++) data[i] = bytes[8 + i]!;
  return { data, n, dim, fullN };
}

/** groundtruth.ivecs, or big-ann .ibin (u32 nq, u32 k, nq×k int32 ids, then nq×k float32 distances). */
async function readGroundTruth(path: string, nq: number): Promise<{ data: Int32Array; k: number }> {
  const bytes = new Uint8Array(await readFile(path));
  if (/\.ivecs$/i.test(path)) {
    const gt = parseIvecs(bytes);
    if (gt.n < nq) throw new Error(`${path}: ${gt.n} rows of ground truth for ${nq} queries`);
    return { data: gt.data.subarray(0, nq * gt.dim), k: gt.dim };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = view.getUint32(0, true);
  const k = view.getUint32(4, true);
  if (rows < nq || 8 + rows * k * 4 > bytes.byteLength) throw new Error(`${path}: ground truth header ${rows} × ${k} does not fit the file or the ${nq} queries`);
  return { data: new Int32Array(bytes.slice(8, 8 + nq * k * 4).buffer), k };
}

function exactGroundTruth(base: Float32Array, queries: Float32Array, dim: number, nq: number, n: number, metric: Metric, onProgress?: (e: ProgressEvent) => void) {
  const k = Math.min(100, n);
  return { data: computeGroundTruth(base, queries, dim, metric, k, { onProgress }), k };
}

interface H5Dataset {
  value: unknown;
  shape: number[];
}
interface H5File {
  get(name: string): H5Dataset | null;
  attrs: Record<string, { value: unknown }>;
  close(): void;
}

/** ann-benchmarks HDF5: `train` (base), `test` (queries), `neighbors` (ground truth), attr `distance`. */
async function readHdf5(path: string, opts: InputOptions): Promise<Dataset> {
  const h5 = (await import('h5wasm/node')) as unknown as { default: { ready: Promise<unknown>; File: new (p: string, mode: string) => H5File } };
  const lib = h5.default;
  await lib.ready;
  const file = new lib.File(path, 'r');
  try {
    const train = file.get('train');
    const test = file.get('test');
    if (!train || !test) throw new Error(`${path}: an ann-benchmarks file needs "train" and "test" datasets`);
    const dim = train.shape[1]!;
    if (test.shape[1] !== dim) throw new Error(`${path}: train dim ${dim} and test dim ${test.shape[1]} differ`);
    const distance = String(file.attrs['distance']?.value ?? opts.metric ?? 'euclidean');
    const metric = distance === 'dot' ? 'ip' : metricFromMeta(distance);
    const fullN = train.shape[0]!;
    const n = Math.min(opts.maxBase ?? fullN, fullN);
    const nq = Math.min(opts.maxQueries ?? test.shape[0]!, test.shape[0]!);
    const base = Float32Array.from((train.value as ArrayLike<number>) as Float32Array).subarray(0, n * dim);
    const queries = Float32Array.from((test.value as ArrayLike<number>) as Float32Array).subarray(0, nq * dim);
    const neighbors = file.get('neighbors');
    let gt: { data: Int32Array; k: number };
    if (neighbors && n === fullN) {
      const k = neighbors.shape[1]!;
      gt = { data: Int32Array.from(neighbors.value as ArrayLike<number>).subarray(0, nq * k), k };
    } else {
      gt = exactGroundTruth(base, queries, dim, nq, n, metric, opts.onProgress);
    }
    return { name: basename(path).replace(/\.(hdf5|h5)$/i, ''), metric, dim, base, nBase: n, queries, nQueries: nq, groundTruth: gt.data, gtK: gt.k };
  } finally {
    file.close();
  }
}
