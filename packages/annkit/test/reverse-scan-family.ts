// A test-only index family: exact search that scans the rows newest first. It is the smallest complete
// family (docs/adding-a-family.md walks through it): a class over IndexBase, its .annk format, and one
// descriptor. registry.test.ts registers it and drives it only through createIndex, load and describe.
import {
  AnnkitError,
  IdMap,
  IndexBase,
  ProgressTracker,
  TopK,
  assertBatch,
  assertDim,
  assertStoredRows,
  assertId,
  assertK,
  assertMetric,
  assertQueryBatch,
  assertVector,
  bytesOf,
  decodeJson,
  encodeJson,
  filterPredicate,
  jsKernels,
  kernelToDistance,
  noMoreTokens,
  noRerank,
  paramInt,
  prepareRow,
  readAnnk,
  sectionArray,
  toBytes,
  toVector,
  usesDot,
  writeAnnk,
} from '@annkit/core';
import type { BaseIndexOptions, IndexFamily, LoadOptions, LongTaskOptions, SearchOptions, SearchResult, VectorIndex, VectorInput } from '@annkit/core';
import { resolveKernels } from '@annkit/wasm';

const FOURCC = 'RVSC';
const SECTIONS = ['PARM', 'IDS ', 'VECS'];

export class ReverseScanIndex extends IndexBase<SearchOptions> {
  readonly kind = 'reverse-scan';
  /** Rows by slot, as stored (unit length under cosine). */
  private rows: Float32Array[] = [];
  protected idMap = new IdMap();

  constructor(options: BaseIndexOptions) {
    if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'ReverseScanIndex takes { dim, metric }.');
    assertDim(options.dim);
    assertMetric(options.metric);
    super(options.dim, options.metric, resolveKernels(options.kernels));
  }

  get size(): number {
    return this.rows.length;
  }

  getVector(id: number): Float32Array {
    this.live();
    return this.rows[this.idMap.requireSlot(id)]!.slice();
  }

  add(id: number, vector: VectorInput): void {
    this.live();
    this.idMap.assertAbsent(id);
    const v = toVector(vector);
    this.append(id, v, 0, assertVector(v, this.dim, this.metric));
  }

  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void {
    this.live();
    const n = assertBatch(ids, vectors, this.dim, this.metric);
    this.idMap.assertNoneStored(ids);
    const sizeBefore = this.size;
    try {
      const progress = new ProgressTracker(opts, 'add', n);
      for (let i = 0; i < n; i++) {
        let norm2 = 0;
        for (let j = 0; j < this.dim; j++) norm2 += vectors[i * this.dim + j]! ** 2;
        this.append(ids[i]!, vectors, i * this.dim, norm2);
        progress.tick();
      }
      progress.finish();
    } catch (err) {
      while (this.size > sizeBefore) this.remove(this.idMap.idOf(this.size - 1));
      throw err;
    }
  }

  upsert(id: number, vector: VectorInput): void {
    this.live();
    assertId(id);
    const v = toVector(vector);
    const norm2 = assertVector(v, this.dim, this.metric);
    this.remove(id);
    this.append(id, v, 0, norm2);
  }

  remove(id: number): boolean {
    this.live();
    assertId(id);
    const slot = this.idMap.slotOf(id);
    if (slot < 0) return false;
    const last = this.size - 1;
    this.rows[slot] = this.rows[last]!;
    this.rows.pop();
    this.idMap.deleteSwapped(id, slot, slot === last ? -1 : last);
    return true;
  }

  search(query: VectorInput, k: number, opts?: SearchOptions): SearchResult {
    this.live();
    const q = toVector(query, 'query');
    const norm2 = assertVector(q, this.dim, this.metric, 'query');
    assertK(k);
    return this.scan(q, norm2, k, filterPredicate(opts?.filter));
  }

  searchBatch(queries: Float32Array, k: number, opts?: SearchOptions): SearchResult[] {
    this.live();
    const n = assertQueryBatch(queries, this.dim, this.metric);
    assertK(k);
    const accept = filterPredicate(opts?.filter);
    const out: SearchResult[] = [];
    for (let i = 0; i < n; i++) {
      const q = queries.subarray(i * this.dim, (i + 1) * this.dim);
      out.push(this.scan(q, assertVector(q, this.dim, this.metric, 'query'), k, accept));
    }
    return out;
  }

  serialize(opts?: LongTaskOptions): Uint8Array {
    this.live();
    const progress = new ProgressTracker(opts, 'serialize', 1);
    const vectors = new Float32Array(this.size * this.dim);
    this.rows.forEach((row, slot) => vectors.set(row, slot * this.dim));
    const bytes = writeAnnk({ kind: FOURCC, major: 1, minor: 0, dim: this.dim, metric: this.metric }, [
      { tag: 'PARM', data: encodeJson({ count: this.size }) },
      { tag: 'IDS ', data: bytesOf(this.idMap.idsBySlot.subarray(0, this.size)) },
      { tag: 'VECS', data: bytesOf(vectors) },
    ]);
    progress.finish();
    return bytes;
  }

  static deserialize(bytes: Uint8Array, options?: LoadOptions): ReverseScanIndex {
    const file = readAnnk(toBytes(bytes), { kind: FOURCC, major: 1, required: SECTIONS, known: SECTIONS });
    const count = paramInt(decodeJson(file.sections.get('PARM'), 'PARM'), 'count', 0, 2 ** 31 - 1);
    const ids = sectionArray(Float64Array, file.sections.get('IDS '), count, 'IDS ');
    const vectors = sectionArray(Float32Array, file.sections.get('VECS'), count * file.dim, 'VECS');
    const idMap = IdMap.fromDense(ids);
    // Rows were stored prepared: finite, bounded, and unit length under cosine (the core check every storage uses).
    assertStoredRows(vectors, count, file.dim, file.metric);
    const index = new ReverseScanIndex({ dim: file.dim, metric: file.metric, kernels: options?.kernels });
    index.idMap = idMap;
    for (let slot = 0; slot < count; slot++) index.rows.push(vectors.slice(slot * file.dim, (slot + 1) * file.dim));
    return index;
  }

  private append(id: number, src: Float32Array, offset: number, norm2: number): void {
    const row = new Float32Array(this.dim);
    prepareRow(this.metric, src, offset, norm2, row, 0, this.dim);
    this.idMap.set(id, this.rows.length);
    this.rows.push(row);
  }

  /** Newest row first: the order is the family's whole point, the result is the same as any exact scan. */
  private scan(query: Float32Array, norm2: number, k: number, accept: ((id: number) => boolean) | null): SearchResult {
    const q = new Float32Array(this.dim);
    prepareRow(this.metric, query, 0, norm2, q, 0, this.dim);
    const dot = usesDot(this.metric);
    const top = new TopK(k);
    top.reset(k);
    for (let slot = this.size - 1; slot >= 0; slot--) {
      if (accept !== null && !accept(this.idMap.idOf(slot))) continue;
      const raw = dot ? jsKernels.dot(q, 0, this.rows[slot]!, 0, this.dim) : jsKernels.l2(q, 0, this.rows[slot]!, 0, this.dim);
      top.push(kernelToDistance(this.metric, raw), slot);
    }
    const distances = new Float32Array(top.size);
    const slots = new Int32Array(top.size);
    top.drainSorted(distances, slots);
    return { ids: Float64Array.from(slots, (slot) => this.idMap.idOf(slot)), distances };
  }
}

/** Its descriptor: "Reverse" makes one; .annk kind RVSC. */
export const reverseScanFamily: IndexFamily<ReverseScanIndex, BaseIndexOptions, 'REVERSE', never> = {
  kind: 'reverse-scan',
  fourcc: FOURCC,
  head: 'REVERSE',
  forms: 'Reverse',
  specKeys: [],
  searchKnobs: [],
  example: { spec: 'Reverse', search: {} },
  parse(spec) {
    if (spec.headArgument !== '') spec.fail(spec.head, 'is not a known index');
    noMoreTokens(spec, 0, 'Reverse');
    noRerank(spec, 'Reverse (it ranks with exact distances)');
    return {};
  },
  create: (options) => new ReverseScanIndex(options),
  deserialize: (bytes, options) => ReverseScanIndex.deserialize(toBytes(bytes), options),
  describe: (index: VectorIndex) => (index instanceof ReverseScanIndex ? 'Reverse' : null),
};
