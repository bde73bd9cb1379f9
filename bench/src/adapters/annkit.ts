import { createIndex, families, parseSpec } from 'annkit';
import type { LongTaskOptions, TrainableIndex, VectorIndex } from 'annkit';
import type { BenchAdapter, BuiltIndex } from './types.js';

/** One annkit index for the harness: a factory string, constructor options and the search grid to sweep. */
export interface AnnkitBenchConfig {
  /** A factory string ("HNSW16", "IVF1265,PQ50,Rerank"), or one made from the base size (IVF's default nlist). */
  spec: string | ((n: number) => string);
  /** Constructor options beyond those the string sets (efConstruction, seed, …). */
  options?: Readonly<Record<string, unknown>>;
  /** Search options of each grid point ({ efSearch: 64 }, { nprobe: 8, rerank: 0 }, …). */
  grid: Record<string, number>[];
  /** Rows (the first ones of the base) that train a trainable index; default all of them. */
  trainRows?: (n: number) => number;
  /** Row label (default: the factory string). */
  label?: string;
}

/** The parts of an index the harness reads beyond the VectorIndex contract, where a family has them. */
type BenchedIndex = VectorIndex & Partial<Pick<TrainableIndex, 'train' | 'isTrained'>> & { readonly memoryBytes?: number; build?(opts?: LongTaskOptions): void };

/**
 * Any annkit family through the registry (createIndex): train when the index needs it, addBatch the base,
 * build when the family builds explicitly (Annoy), then sweep the grid. No family is named here.
 */
export function annkitAdapter(config: AnnkitBenchConfig): BenchAdapter {
  const specFor = (n: number) => (typeof config.spec === 'string' ? config.spec : config.spec(n));
  // The family (hence the library name) does not depend on the base size; any n names it.
  const family = parseSpec(specFor(1024)).family;
  return {
    library: `annkit-${family}`,
    label: config.label ?? specFor(1024),
    searchGrid: config.grid,
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, kernels, onProgress }): BuiltIndex {
      const index = createIndex(specFor(n), { initialCapacity: n, ...config.options, dim, metric, kernels }) as BenchedIndex;
      if (typeof index.train === 'function' && index.isTrained === false) {
        index.train(base.subarray(0, Math.min(n, config.trainRows?.(n) ?? n) * dim), { onProgress });
      }
      const ids = new Float64Array(n);
      for (let i = 0; i < n; i++) ids[i] = i;
      index.addBatch(ids, base, { onProgress });
      index.build?.({ onProgress });
      let search: Record<string, number> = config.grid[0] ?? {};
      return {
        setSearchParams: (p) => {
          search = p;
        },
        search: (q, k) => index.search(q as Float32Array, k, search).ids,
        memoryBytes: () => index.memoryBytes ?? Number.NaN,
        serializedBytes: () => index.serialize().byteLength,
        free: () => index.free(),
      };
    },
  };
}

/** Every combination of the values of each parameter: { a: [1, 2], b: [3] } → [{ a: 1, b: 3 }, { a: 2, b: 3 }]. */
export function gridOf(values: Readonly<Record<string, readonly number[]>>): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const [key, list] of Object.entries(values)) points = points.flatMap((p) => list.map((v) => ({ ...p, [key]: v })));
  return points;
}

/**
 * The harness's generic entry for a registered family: `annkit:IVF1024_PQ50_Rerank,nprobe=1/4/16,rerank=0/10,niter=5`.
 * Parameters named in the family's searchKnobs form the grid (the cross product of their lists; the
 * family's example search fills the rest), trainSize the training rows, anything else goes to the constructor.
 */
export function familyAdapter(spec: string, params: Readonly<Record<string, number | number[]>>): BenchAdapter {
  const kind = parseSpec(spec).family;
  const family = families().find((f) => f.kind === kind)!;
  const knobs: Record<string, number[]> = Object.fromEntries(Object.entries(family.example.search).map(([k, v]) => [k, [v]]));
  const options: Record<string, number> = {};
  let trainSize: number | undefined;
  for (const [key, value] of Object.entries(params)) {
    const list = Array.isArray(value) ? value : [value];
    if (family.searchKnobs.includes(key)) knobs[key] = list;
    else if (list.length !== 1) throw new Error(`${key} is not a search option of ${kind} (${family.searchKnobs.join(', ') || 'it has none'}): only those take a list`);
    else if (key === 'trainSize') trainSize = list[0];
    else options[key] = list[0]!;
  }
  return annkitAdapter({ spec, options, grid: gridOf(knobs), trainRows: trainSize === undefined ? undefined : () => trainSize! });
}
