import { pathToFileURL } from 'node:url';
import { AnnkitError } from '@annkit/core';
import { listDatasets, loadDataset } from './registry.js';
import type { DatasetInfo, LoadDatasetOptions } from './registry.js';

/**
 * Makes a dataset ready on disk (downloads/builds an npm-based one, precomputes subset ground truth
 * for `maxBase`) and returns its description. Later loadDataset() calls then only read files.
 */
export async function prepareDataset(name: string, opts: LoadDatasetOptions = {}): Promise<DatasetInfo> {
  await loadDataset(name, opts);
  const info = (await listDatasets(opts)).find((d) => d.name === name);
  if (!info) throw new AnnkitError('INVALID_STATE', `Dataset ${name} vanished after preparing it.`);
  return info;
}

/** `node prepare.js [--list] [--max-base N] [--max-queries N] [--quiet] NAME...` */
export async function main(argv: readonly string[]): Promise<void> {
  const names: string[] = [];
  const opts: LoadDatasetOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--list') {
      for (const d of await listDatasets()) {
        process.stdout.write(`${d.name.padEnd(30)} ${d.kind.padEnd(6)} ${d.metric.padEnd(6)} dim ${d.dim} base ${d.nBase} queries ${d.nQueries} k ${d.gtK}${d.available ? '' : ' (not built yet)'}\n`);
      }
      return;
    } else if (a === '--max-base') opts.maxBase = Number(argv[++i]);
    else if (a === '--max-queries') opts.maxQueries = Number(argv[++i]);
    else if (a === '--quiet') opts.quiet = true;
    else names.push(a);
  }
  if (names.length === 0) throw new AnnkitError('INVALID_ARGUMENT', 'usage: prepare [--list] [--max-base N] [--max-queries N] [--quiet] NAME...');
  for (const name of names) {
    const t0 = performance.now();
    const info = await prepareDataset(name, opts);
    process.stdout.write(`${info.name}: ready in ${((performance.now() - t0) / 1000).toFixed(1)}s at ${info.dir}\n`);
  }
}

// Run as a script (node dist/node/prepare.js …), not when imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
