#!/usr/bin/env node
// Guards the architecture: the workspace dependency graph is a DAG with @annkit/core at the bottom,
// index packages never import @annkit/wasm (kernels are injected), and browser-facing sources import
// no Node built-ins.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { builtinModules } from 'node:module';

const dirs = [...readdirSync('packages').map((d) => join('packages', d)), 'datasets', 'bench'].filter((d) => existsSync(join(d, 'package.json')));
const pkgs = new Map(dirs.map((d) => [JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name, d]));
const problems = [];

const deps = new Map();
for (const [name, dir] of pkgs) {
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const all = { ...pj.dependencies, ...pj.peerDependencies, ...pj.optionalDependencies };
  deps.set(name, Object.keys(all).filter((d) => pkgs.has(d)));
}
if ((deps.get('@annkit/core') ?? []).length > 0) problems.push('@annkit/core must not depend on other workspace packages');
// Cycle check by depth-first search.
const state = new Map();
const visit = (n, path) => {
  if (state.get(n) === 'done') return;
  if (state.get(n) === 'active') return problems.push(`dependency cycle: ${[...path, n].join(' -> ')}`);
  state.set(n, 'active');
  for (const d of deps.get(n) ?? []) visit(d, [...path, n]);
  state.set(n, 'done');
};
for (const n of pkgs.keys()) visit(n, []);
for (const [name, list] of deps) {
  if (name !== '@annkit/core' && !list.includes('@annkit/core') && name.startsWith('@annkit/')) problems.push(`${name} does not depend on @annkit/core`);
}

// Browser-facing sources: every package under packages/ except the private testkit; datasets' src minus src/node.
const nodeOnly = new Set(['@annkit/testkit', '@annkit/bench']);
const indexPackages = ['flat', 'ivf', 'sq', 'pq', 'hnsw', 'annoy', 'kmeans'].map((p) => `@annkit/${p}`);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const walk = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
for (const [name, dir] of pkgs) {
  if (nodeOnly.has(name) || !existsSync(join(dir, 'src'))) continue;
  for (const file of walk(join(dir, 'src'))) {
    if (!/\.(ts|mts|js|mjs)$/.test(file) || file.includes(`${join(dir, 'src', 'node')}`)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (builtins.has(spec) || builtins.has(spec.split('/')[0])) problems.push(`${file} imports the Node built-in "${spec}" (browser-facing code)`);
      if (indexPackages.includes(name) && spec.startsWith('@annkit/wasm')) problems.push(`${file} imports @annkit/wasm: index packages take kernels by injection`);
    }
    if (/\bBuffer\.|process\.(env|argv|exit)/.test(text) && !text.includes('globalThis.process')) problems.push(`${file} uses a Node global (Buffer/process)`);
  }
}
if (problems.length) {
  console.error(`check-deps: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check-deps: ${pkgs.size} packages, dependency graph is a DAG rooted at @annkit/core, no Node built-ins in browser-facing sources`);
