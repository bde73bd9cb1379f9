#!/usr/bin/env node
// Guards the architecture: the workspace dependency graph is a DAG with @annkit/core at the bottom,
// index packages may use @annkit/wasm (its kernels are the default), and browser-facing sources import
// no Node built-ins.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

// Browser-facing sources: every package under packages/ (testkit included: browser tests import it) minus each src/node; datasets likewise.
const nodeOnly = new Set(['@annkit/bench']);
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
    }
    if (/\bBuffer\.|process\.(env|argv|exit)/.test(text) && !text.includes('globalThis.process')) problems.push(`${file} uses a Node global (Buffer/process)`);
  }
}
// No file imports another in a circle (relative imports within each package's src/, type-only ones included:
// a cycle of types still couples two files that should be one, or a third).
for (const [, dir] of pkgs) {
  const src = join(dir, 'src');
  if (!existsSync(src)) continue;
  const files = walk(src).filter((f) => /\.(ts|mts)$/.test(f));
  const edges = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = [];
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
      if (files.includes(target)) targets.push(target);
    }
    edges.set(file, targets);
  }
  const mark = new Map();
  const dfs = (f, path) => {
    if (mark.get(f) === 'done') return;
    if (mark.get(f) === 'active') return problems.push(`import cycle: ${[...path.slice(path.indexOf(f)), f].join(' -> ')}`);
    mark.set(f, 'active');
    for (const t of edges.get(f) ?? []) dfs(t, [...path, f]);
    mark.set(f, 'done');
  };
  for (const f of files) dfs(f, []);
}
if (problems.length) {
  console.error(`check-deps: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check-deps: ${pkgs.size} packages, dependency graph is a DAG rooted at @annkit/core, no Node built-ins in browser-facing sources, no import cycles between files`);
