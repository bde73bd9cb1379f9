#!/usr/bin/env node
// Runs vitest, then prints the closing line CI reads ("N passed, N failed"); exits with vitest's code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The package's bin file (not in its exports map, so resolve the package root and join).
const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
mkdirSync('.cache', { recursive: true });
// The browser test drives Debian's chromium; install it on first use (root on these machines).
if (!existsSync('/usr/bin/chromium') && existsSync('scripts/browser-setup.sh')) {
  console.log('installing Debian chromium for the browser test (scripts/browser-setup.sh)');
  spawnSync('bash', ['scripts/browser-setup.sh'], { stdio: 'inherit' });
}
const report = '.cache/vitest-report.json';
rmSync(report, { force: true });
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
let summary = 'no test report was written';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
  if (r.numTotalTests === 0) summary += ' (no tests ran)';
}
console.log(summary);
process.exit(run.status ?? 1);
