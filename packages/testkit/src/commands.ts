import fc from 'fast-check';
import type { Metric, VectorIndex } from '@annkit/core';
import { AnnkitError } from '@annkit/core';
import { idArb, randomRows, vectorArb } from './arbitraries.js';
import { checkExact, checkResultInvariants, metricsOf, recallVsModel } from './compare.js';
import { BruteForceModel } from './model.js';
import type { IndexLawSpec } from './spec.js';

/** The system under test; reload replaces the index inside the box. */
interface Real {
  index: VectorIndex;
}

interface Model {
  bf: BruteForceModel;
  recallSum: number;
  searches: number;
}

type Cmd = fc.Command<Model, Real>;

function expectError(fn: () => unknown, code: string, what: string): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof AnnkitError && err.code === code) return;
    throw new Error(`${what}: expected ${code}, got ${String(err)}`);
  }
  throw new Error(`${what}: expected ${code}, got no error`);
}

class AddCommand implements Cmd {
  constructor(readonly id: number, readonly v: Float32Array) {}
  check = () => true;
  run(m: Model, r: Real): void {
    if (m.bf.vectors.has(this.id)) {
      expectError(() => r.index.add(this.id, this.v), 'DUPLICATE_ID', 'add of a present id');
      return;
    }
    r.index.add(this.id, this.v);
    m.bf.set(this.id, this.v);
    if (r.index.size !== m.bf.size) throw new Error(`size ${r.index.size}, model ${m.bf.size}`);
  }
  toString = () => `add(${this.id})`;
}

class AddBatchCommand implements Cmd {
  constructor(readonly ids: number[], readonly rows: Float32Array[]) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const dim = m.bf.dim;
    const flat = new Float32Array(this.ids.length * dim);
    this.rows.forEach((row, i) => flat.set(row, i * dim));
    if (this.ids.some((id) => m.bf.vectors.has(id))) {
      expectError(() => r.index.addBatch(this.ids, flat), 'DUPLICATE_ID', 'addBatch with a present id');
      return;
    }
    r.index.addBatch(this.ids, flat);
    this.ids.forEach((id, i) => m.bf.set(id, this.rows[i]!));
  }
  toString = () => `addBatch([${this.ids.join(',')}])`;
}

class RemoveCommand implements Cmd {
  constructor(readonly id: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const expected = m.bf.delete(this.id);
    const got = r.index.remove(this.id);
    if (got !== expected) throw new Error(`remove(${this.id}) returned ${got}, expected ${expected}`);
    if (r.index.has(this.id)) throw new Error(`has(${this.id}) after remove`);
  }
  toString = () => `remove(${this.id})`;
}

class UpsertCommand implements Cmd {
  constructor(readonly id: number, readonly v: Float32Array) {}
  check = () => true;
  run(m: Model, r: Real): void {
    r.index.upsert(this.id, this.v);
    m.bf.set(this.id, this.v);
    if (!r.index.has(this.id) || r.index.size !== m.bf.size) throw new Error(`after upsert(${this.id}): size ${r.index.size}, model ${m.bf.size}`);
  }
  toString = () => `upsert(${this.id})`;
}

class SearchCommand implements Cmd {
  constructor(readonly q: Float32Array, readonly k: number, readonly exact: boolean, readonly opts: object) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const result = r.index.search(this.q, this.k, this.opts);
    const violation = this.exact ? checkExact(result, m.bf, this.q, this.k) : checkResultInvariants(result, m.bf, this.q, this.k);
    if (violation) throw new Error(`search(k=${this.k}): ${violation}`);
    if (!this.exact) {
      m.recallSum += recallVsModel(result, m.bf, this.q, this.k);
      m.searches++;
    }
  }
  toString = () => `search(k=${this.k})`;
}

class ReloadCommand implements Cmd {
  constructor(readonly deserialize: (bytes: Uint8Array) => VectorIndex) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const bytes = r.index.serialize();
    r.index = this.deserialize(bytes);
    if (r.index.size !== m.bf.size) throw new Error(`reloaded size ${r.index.size}, model ${m.bf.size}`);
  }
  toString = () => 'serialize+reload';
}

/** Runs random operation sequences against the brute-force model, for every metric the family supports. */
export function runModelCommands<I extends VectorIndex>(spec: IndexLawSpec<I>, numRuns: number): void {
  const opts = spec.searchOptions ?? {};
  const setup = fc.record({ dim: fc.integer({ min: 1, max: Math.min(spec.maxDim ?? 12, 8) }), metric: fc.constantFrom<Metric>(...metricsOf(spec.metrics)), seed: fc.nat(1000) });
  const scenario = setup.chain(({ dim, metric, seed }) => {
    const vec = vectorArb(dim, metric);
    const commands = [
      fc.tuple(idArb, vec).map(([id, v]) => new AddCommand(id, v) as Cmd),
      fc.uniqueArray(idArb, { minLength: 1, maxLength: 6 }).chain((ids) => fc.array(vec, { minLength: ids.length, maxLength: ids.length }).map((rows) => new AddBatchCommand(ids, rows) as Cmd)),
      idArb.map((id) => new RemoveCommand(id) as Cmd),
      fc.tuple(idArb, vec).map(([id, v]) => new UpsertCommand(id, v) as Cmd),
      fc.tuple(vec, fc.integer({ min: 1, max: 12 })).map(([q, k]) => new SearchCommand(q, k, spec.exact, opts) as Cmd),
      fc.constant(new ReloadCommand((b) => spec.deserialize(b)) as Cmd),
    ];
    return fc.record({ dim: fc.constant(dim), metric: fc.constant(metric), seed: fc.constant(seed), cmds: fc.commands(commands, { maxCommands: 40 }) });
  });
  let recallSum = 0;
  let searches = 0;
  fc.assert(
    fc.property(scenario, ({ dim, metric, seed, cmds }) => {
      const index = spec.create({ dim, metric, seed, training: randomRows(256, dim, seed + 1, 4) });
      const model: Model = { bf: new BruteForceModel(dim, metric), recallSum: 0, searches: 0 };
      fc.modelRun(() => ({ model, real: { index } }), cmds);
      recallSum += model.recallSum;
      searches += model.searches;
    }),
    { numRuns },
  );
  if (!spec.exact && searches > 0 && recallSum / searches < (spec.recallFloor ?? 0.9)) {
    throw new Error(`mean recall over model runs ${(recallSum / searches).toFixed(3)} < floor ${spec.recallFloor ?? 0.9}`);
  }
}
