#!/usr/bin/env node
// Compiles every TypeScript sample of the READMEs (root, packages/*, datasets, bench, browser) under
// `tsc --strict`, each as its own module next to its README, against the workspace's TypeScript sources.
// Names a sample uses without defining them (vectors, query, kernels, …) are declared once in
// scripts/readme-prelude.d.ts, not in the READMEs. Errors are reported at their README line.
//
//   node scripts/check-readme-samples.mjs            check all
//   node scripts/check-readme-samples.mjs --list     print the samples found
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prelude = join(root, 'scripts', 'readme-prelude.d.ts');

/** Workspace packages by name: the `paths` entries that point imports at their sources. */
function workspacePaths() {
  const dirs = [...readdirSync(join(root, 'packages')).map((d) => join('packages', d)), 'datasets', 'bench', 'browser'];
  const paths = {};
  for (const dir of dirs) {
    const pj = join(root, dir, 'package.json');
    if (!existsSync(pj)) continue;
    const { name, exports } = JSON.parse(readFileSync(pj, 'utf8'));
    for (const [sub, target] of Object.entries(exports ?? {})) {
      const source = typeof target === 'object' ? target['@annkit/source'] : undefined;
      if (source) paths[sub === '.' ? name : `${name}/${sub.slice(2)}`] = [join(dir, source)];
    }
  }
  return paths;
}

/** The ```ts / ```typescript fences of one README: { readme, line (of the first code line), code }. */
function samplesOf(readme) {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    out.push({ readme, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

const readmes = [join(root, 'README.md'), ...readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d, 'README.md')), ...['datasets', 'bench', 'browser'].map((d) => join(root, d, 'README.md'))].filter(existsSync);
const samples = readmes.flatMap(samplesOf);
// Each sample is a module of its own (so its names never clash with another's), beside its README.
const files = new Map(samples.map((s) => [join(dirname(s.readme), `__readme_sample_line${s.line}.ts`), s]));

if (process.argv.includes('--list')) {
  for (const s of samples) console.log(`${relative(root, s.readme)}:${s.line}`);
  process.exit(0);
}

const options = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ['@annkit/source'],
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
  types: ['node'],
  typeRoots: [join(root, 'node_modules', '@types')],
  baseUrl: root,
  paths: workspacePaths(),
  skipLibCheck: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
};
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
// `export {}` makes a sample without imports a module too (top-level await, private names).
host.readFile = (f) => (files.has(f) ? `${files.get(f).code}\nexport {};\n` : readFile(f));
host.fileExists = (f) => files.has(f) || fileExists(f);
const program = ts.createProgram([prelude, ...files.keys()], options, host);

let errors = 0;
for (const [file, sample] of files) {
  const sf = program.getSourceFile(file);
  for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
    const { line, character } = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0) : { line: 0, character: 0 };
    console.error(`${relative(root, sample.readme)}:${sample.line + line}:${character + 1} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n  ')}`);
    errors++;
  }
}
for (const d of program.getSemanticDiagnostics(program.getSourceFile(prelude))) {
  console.error(`scripts/readme-prelude.d.ts: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n  ')}`);
  errors++;
}
if (errors > 0) {
  console.error(`check-readme-samples: ${errors} error(s) in ${samples.length} README samples`);
  process.exit(1);
}
console.log(`check-readme-samples: ${samples.length} TypeScript samples from ${readmes.length} READMEs compile under --strict`);
