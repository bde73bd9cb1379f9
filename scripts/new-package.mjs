#!/usr/bin/env node
// Writes package.json + tsconfig.json for a workspace package with annkit's conventions.
// Usage: node scripts/new-package.mjs <dir> <name> "<description>" [dep ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, name, description, ...deps] = process.argv.slice(2);
if (!dir || !name) throw new Error('usage: new-package.mjs <dir> <name> "<description>" [dep ...]');
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const exportsDev = { '@annkit/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' };
const exportsPub = { types: './dist/index.d.ts', default: './dist/index.js' };
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  exports: { '.': exportsDev, './package.json': './package.json' },
  files: ['dist', 'src'],
  dependencies: Object.fromEntries(deps.map((d) => [d, 'workspace:*'])),
  publishConfig: { exports: { '.': exportsPub, './package.json': './package.json' } },
};
if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
const base = relative(dir, 'tsconfig.base.json');
const refs = deps.map((d) => ({ path: relative(dir, d === '@annkit/datasets' ? 'datasets' : `packages/${d.replace('@annkit/', '')}`) }));
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({ extends: base, compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'], references: refs }, null, 2) + '\n',
);
