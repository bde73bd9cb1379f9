import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/*
 * Cache writes go to a temporary name in the same folder and are renamed into place, so an interrupted
 * run leaves either the old state or the complete new file, never a truncated one.
 */

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** A fresh hidden staging folder beside `finalDir`, to be published with publishDir(). */
export async function makeStagingDir(finalDir: string): Promise<string> {
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `.${finalDir.slice(parent.length + 1)}.tmp-`));
  await chmod(dir, 0o755); // mkdtemp makes it private; the published folder should read like any other
  return dir;
}

/**
 * Renames a complete staging folder to `finalDir`. If another process published it first, keeps theirs
 * and removes ours. Returns whether ours was used.
 */
export async function publishDir(stagingDir: string, finalDir: string): Promise<boolean> {
  try {
    await rename(stagingDir, finalDir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    await rm(stagingDir, { recursive: true, force: true });
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
    throw err;
  }
}
