#!/usr/bin/env node
// Package quality of what npm users get: builds, packs every publishable package with pnpm (which applies
// publishConfig and rewrites workspace:* ranges), then on each tarball runs publint, @arethetypeswrong/cli
// (ESM-only profile) and a check of the packed contents (entry files present, no source-only export
// condition, no Node built-ins in browser-facing code); finally size-limit budgets
// (brotli, .size-limit.json) on the built dist/ entries. Prints one line per package and exits non-zero
// on any problem. The tools are devDependencies of the private @annkit/browser package.
//
//   node scripts/package-quality.mjs [--skip-build] [--only publint,attw,contents,size]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS_DIR = join(ROOT, 'browser');
const toolsRequire = createRequire(join(TOOLS_DIR, 'package.json'));
const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : null;
const wants = (step) => only === null || only.has(step);
/** Subpaths of a package that are Node-only by design (file helpers). */
const NODE_ONLY_DIRS = ['dist/node/'];
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const problems = [];
const problem = (pkg, msg) => problems.push(`${pkg}: ${msg}`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** Resolves a tool's file inside its package (bins are not in the packages' exports maps). */
function toolFile(pkg, file) {
  return join(dirname(toolsRequire.resolve(`${pkg}/package.json`)), file);
}

/** pnpm as the caller ran it (pnpm run …), else the version pinned in package.json through npx. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager ?? 'pnpm@10';
  return ['npx', ['--yes', pinned]];
}

function publishablePackages() {
  const dirs = [...readdirSync(join(ROOT, 'packages')).map((d) => join('packages', d)), 'datasets'];
  return dirs
    .filter((d) => existsSync(join(ROOT, d, 'package.json')))
    .map((dir) => ({ dir, pj: JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) }))
    .filter(({ pj }) => pj.private !== true);
}

/** The files of a .tgz (ustar, as npm and pnpm write it): name → bytes. */
function untar(tgz) {
  const tar = gunzipSync(tgz);
  const files = new Map();
  let longName = null;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = str(345, 500);
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '7') files.set(name.replace(/^package\//, ''), body);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Import specifiers of a built ES module (static, re-export and dynamic forms). */
function importsOf(js) {
  const re = /(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[;\s])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...js.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** What the tarball holds: its exports resolve to packed files, nothing source-only leaked out. */
function checkContents(name, files) {
  const pj = JSON.parse(files.get('package.json').toString('utf8'));
  const text = JSON.stringify(pj);
  if (text.includes('@annkit/source')) problem(name, 'the packed package.json still has the "@annkit/source" export condition (publishConfig.exports missing or not applied)');
  if (/workspace:/.test(text)) problem(name, 'the packed package.json still has workspace: ranges');
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
  walk(pj.exports);
  for (const t of targets) if (!files.has(t.replace(/^\.\//, ''))) problem(name, `exports points at ${t}, which is not in the tarball`);
  for (const [subpath, target] of Object.entries(pj.exports ?? {})) {
    if (!subpath.endsWith('.json') && (typeof target !== 'object' || target === null || !('types' in target))) problem(name, `exports["${subpath}"] has no "types" condition`);
  }
  for (const [file, body] of files) {
    if (!/\.(m?js)$/.test(file) || !file.startsWith('dist/')) continue;
    const nodeOnly = NODE_ONLY_DIRS.some((d) => file.startsWith(d));
    for (const spec of importsOf(body.toString('utf8'))) {
      if (!nodeOnly && (BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]))) problem(name, `${file} imports the Node built-in "${spec}" (browser-facing code)`);
    }
  }
  return files.size;
}

async function lint(name, tgz, publint, formatMessage) {
  const { messages, pkg } = await publint({ pack: { tarball: tgz.buffer.slice(tgz.byteOffset, tgz.byteOffset + tgz.byteLength) }, level: 'suggestion' });
  const notes = [];
  for (const m of messages) {
    const line = `publint ${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`;
    if (m.type === 'suggestion') notes.push(line);
    else problem(name, line);
  }
  return notes;
}

/** attw on one tarball (a child process: it loads its own TypeScript); resolves to its problems, if any. */
function attw(name, tgzPath) {
  const argv = [toolFile('@arethetypeswrong/cli', 'dist/index.js'), tgzPath, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color', '--no-summary'];
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolveRun(code === 0 ? null : `@arethetypeswrong/cli (profile esm-only) found problems:\n${out.trim()}`));
  });
}

/** Runs async jobs at most `width` at a time (the machines have 2 cores). */
async function pool(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

function sizeLimit() {
  const r = run(process.execPath, [toolFile('size-limit', 'bin.js'), '--config', join(ROOT, '.size-limit.json'), '--json'], { cwd: TOOLS_DIR });
  let rows;
  try {
    rows = JSON.parse(r.stdout);
  } catch {
    problems.push(`size-limit did not run: ${(r.stdout + r.stderr).trim()}`);
    return;
  }
  console.log('\nsize-limit (brotli, bundled and minified; "own code" leaves @annkit dependencies out):');
  for (const row of rows) {
    const kb = (b) => `${(b / 1000).toFixed(2)} kB`;
    console.log(`  ${row.passed ? 'ok  ' : 'OVER'} ${row.name.padEnd(48)} ${kb(row.size).padStart(9)} / ${kb(row.sizeLimit)}`);
    if (!row.passed) problems.push(`size-limit: ${row.name} is ${kb(row.size)}, over its ${kb(row.sizeLimit)} budget (.size-limit.json)`);
  }
}

async function main() {
  const t0 = Date.now();
  if (!args.includes('--skip-build')) {
    const b = run(process.execPath, [join(dirname(createRequire(join(ROOT, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc'), '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npx tsc -b tsconfig.build.json failed: fix the build first');
  }
  const packages = publishablePackages();
  const missing = packages.filter(({ dir }) => !existsSync(join(ROOT, dir, 'dist', 'index.js')));
  if (missing.length) throw new Error(`not built: ${missing.map((p) => p.dir).join(', ')} (run npx tsc -b tsconfig.build.json)`);

  if (wants('publint') || wants('attw') || wants('contents')) {
    const dest = mkdtempSync(join(tmpdir(), 'annkit-pack-'));
    try {
      const [cmd, pre] = pnpmCommand();
      const filters = packages.flatMap(({ pj }) => ['--filter', pj.name]);
      const p = run(cmd, [...pre, '-r', ...filters, 'pack', '--pack-destination', dest]);
      if (p.status !== 0) throw new Error(`pnpm pack failed:\n${p.stdout}\n${p.stderr}`);
      const { publint } = await import(pathToFileURL(toolsRequire.resolve('publint')).href);
      const { formatMessage } = await import(pathToFileURL(toolsRequire.resolve('publint/utils')).href);
      const tarballs = packages.map(({ pj }) => ({ pj, file: join(dest, `${pj.name.replace(/^@/, '').replace('/', '-')}-${pj.version}.tgz`) }));
      const attwFindings = wants('attw') ? await pool(tarballs.map(({ pj, file }) => () => (existsSync(file) ? attw(pj.name, file) : null)), 2) : [];
      console.log(`packed ${packages.length} packages with pnpm (publishConfig applied):`);
      for (const [i, { pj, file }] of tarballs.entries()) {
        if (!existsSync(file)) {
          problem(pj.name, `pnpm pack wrote no ${file}`);
          continue;
        }
        const tgz = readFileSync(file);
        const before = problems.length;
        const nFiles = wants('contents') ? checkContents(pj.name, untar(tgz)) : 0;
        const notes = wants('publint') ? await lint(pj.name, tgz, publint, formatMessage) : [];
        if (attwFindings[i]) problem(pj.name, attwFindings[i]);
        const status = problems.length === before ? 'ok  ' : 'FAIL';
        console.log(`  ${status} ${pj.name.padEnd(18)} ${(tgz.length / 1000).toFixed(1).padStart(6)} kB packed${nFiles ? `, ${nFiles} files` : ''}${notes.length ? `, ${notes.length} publint suggestion(s)` : ''}`);
        for (const n of notes) console.log(`         ${n}`);
      }
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  }
  if (wants('size')) sizeLimit();

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (problems.length) {
    console.error(`\npackage-quality: ${problems.length} problem(s) in ${secs} s\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  const steps = ['publint', 'attw', 'contents', 'size'].filter(wants).map((x) => ({ attw: 'attw (esm-only)', contents: 'packed-contents checks', size: 'size budgets' })[x] ?? x);
  console.log(`\npackage-quality: ${packages.length} packages pass ${steps.join(', ')} (${secs} s)`);
}

main().catch((e) => {
  console.error(`package-quality: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
