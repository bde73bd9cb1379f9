import { families } from 'annkit';
import { familyAdapter } from './adapters/annkit.js';
import { annoyAdapter } from './adapters/annoy.js';
import { faissAdapter } from './adapters/faiss.js';
import { flatAdapter } from './adapters/flat.js';
import { hnswAdapter } from './adapters/hnsw.js';
import { ivfAdapter } from './adapters/ivf.js';
import { pqAdapter } from './adapters/pq.js';
import { sqAdapter } from './adapters/sq.js';
import { hnswlibBruteforceAdapter, hnswlibHnswAdapter } from './adapters/hnswlib.js';
import { hnswJsAdapter, oramaAdapter, voyAdapter } from './adapters/js-peers.js';
import type { BenchAdapter } from './adapters/types.js';
import { usearchAdapter } from './adapters/usearch.js';

type Params = Record<string, number | number[]>;
type Factory = (params: Params) => BenchAdapter;

/**
 * Index specs the harness understands: "name" or "name:key=value,key=v1/v2/v3" (a slash list sets a
 * search grid, e.g. "hnsw:m=16,efConstruction=200,efSearch=16/32/64"). Any annkit family, including one
 * added with registerFamily(), also runs as "annkit:<factory string, "_" for ",">[,key=values…]" or by its
 * kind alone ("reverse-scan"); the names below are presets with the harness's own parameter names.
 */
const FACTORIES = new Map<string, Factory>([
  ['flat', () => flatAdapter()],
  ['hnsw', (p) => hnswAdapter(p as never)],
  ['annoy', (p) => annoyAdapter(p as never)],
  ['ivf', (p) => ivfAdapter(p as never)],
  ['sq', (p) => sqAdapter(p as never)],
  ['pq', (p) => pqAdapter(p as never)],
  ['hnswlib-bf', () => hnswlibBruteforceAdapter()],
  ['hnswlib', (p) => hnswlibHnswAdapter(p as never)],
  ['usearch', (p) => usearchAdapter(p as never)],
  ['hnsw-npm', (p) => hnswJsAdapter(p as never)],
  ['orama', () => oramaAdapter()],
  ['voy', () => voyAdapter()],
  // Dies mid-build, so tests can check that the harness records a crashed worker and carries on.
  // FAISS index-factory strings, with "_" for "," inside a spec: faiss:IVF1024_Flat, faiss:HNSW16, faiss:Flat.
  ['faiss', () => {
    throw new Error('faiss needs a factory string: faiss:Flat, faiss:IVF1024_SQ8, faiss:HNSW16 (with "_" for ",")');
  }],
  ['selftest-crash', () => ({ library: 'selftest', label: 'crash', searchGrid: [{}], metrics: ['l2', 'ip', 'cosine'], build: () => process.exit(3) })],
  ['hnswlib-wasm', () => unavailable('hnswlib-wasm', 'its build targets browsers only (emscripten ENVIRONMENT=web), so it cannot run in Node')],
]);

/** A peer that cannot run here: the harness prints the reason once and moves on. */
function unavailable(library: string, reason: string): BenchAdapter {
  return {
    library,
    label: '',
    searchGrid: [{}],
    metrics: ['l2', 'ip', 'cosine'],
    build: () => {
      throw new Error(`SKIP: ${library}: ${reason}`);
    },
  };
}

export function registerAdapter(name: string, factory: Factory): void {
  FACTORIES.set(name, factory);
}

export function knownAdapters(): string[] {
  const kinds = families().map((f) => f.kind);
  return [...new Set([...FACTORIES.keys(), ...kinds]), `annkit:<${families().map((f) => f.forms.replace(/,/g, '_')).join(' | ')}>`];
}

function parseParams(spec: string, rest: string | undefined): Params {
  const params: Params = {};
  for (const part of rest ? rest.split(',') : []) {
    const [key, value] = part.split('=');
    if (!key || value === undefined) throw new Error(`bad parameter "${part}" in index spec "${spec}" (expected key=value)`);
    const values = value.split('/').map(Number);
    if (values.some((v) => !Number.isFinite(v))) throw new Error(`parameter ${key} in "${spec}" is not a number`);
    params[key] = values.length === 1 ? values[0]! : values;
  }
  return params;
}

export function parseSpec(spec: string): { name: string; params: Params } {
  const [name, rest] = spec.split(':', 2) as [string, string | undefined];
  return { name, params: parseParams(spec, rest) };
}

export function createAdapter(spec: string): BenchAdapter {
  const faiss = /^faiss:([A-Za-z0-9_]+)(?:,(?:nprobe|efSearch)=([\d/]+))?$/.exec(spec);
  if (faiss) return faissAdapter(faiss[1]!.replace(/_/g, ','), faiss[2]?.split('/').map(Number));
  const annkit = /^annkit:([A-Za-z0-9_]+)(?:,(.*))?$/.exec(spec);
  if (annkit) return familyAdapter(annkit[1]!.replace(/_/g, ','), parseParams(spec, annkit[2]));
  const { name, params } = parseSpec(spec);
  const factory = FACTORIES.get(name);
  if (factory) return factory(params);
  const family = families().find((f) => f.kind === name);
  if (family) return familyAdapter(family.example.spec, params);
  throw new Error(`unknown index "${name}" in spec "${spec}"; known: ${knownAdapters().join(', ')}`);
}
