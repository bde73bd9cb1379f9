import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAnnkitError } from '@annkit/core';
import { readBvecs, readFvecs, readIvecs, vecsFileShape, writeBvecs, writeFvecs, writeIvecs } from '../src/node/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'annkit-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('vecs files', () => {
  it('write then read back, with and without a limit, leaving no temporary files', async () => {
    const data = Float32Array.from({ length: 7 * 5 }, (_, i) => i / 3);
    await writeFvecs(join(dir, 'a.fvecs'), data, 5);
    expect(await readFvecs(join(dir, 'a.fvecs'))).toEqual({ n: 7, dim: 5, data });
    const head = await readFvecs(join(dir, 'a.fvecs'), { limit: 3 });
    expect(head.n).toBe(3);
    expect(head.data).toEqual(data.subarray(0, 15));
    expect(await vecsFileShape(join(dir, 'a.fvecs'), 'fvecs')).toEqual({ n: 7, dim: 5 });

    const ids = Int32Array.from([5, -1, 7, 2 ** 31 - 1]);
    await writeIvecs(join(dir, 'g.ivecs'), ids, 2);
    expect((await readIvecs(join(dir, 'g.ivecs'))).data).toEqual(ids);
    await writeBvecs(join(dir, 'b.bvecs'), Uint8Array.of(1, 2, 3), 3);
    expect((await readBvecs(join(dir, 'b.bvecs'))).data).toEqual(Uint8Array.of(1, 2, 3));
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a truncated file is CORRUPT_DATA naming the path', async () => {
    const bytes = new Uint8Array(4 + 8 * 4 + 3);
    new DataView(bytes.buffer).setInt32(0, 8, true);
    await writeFile(join(dir, 'bad.fvecs'), bytes);
    const err = await readFvecs(join(dir, 'bad.fvecs')).catch((e: unknown) => e);
    expect(isAnnkitError(err, 'CORRUPT_DATA')).toBe(true);
    expect(String((err as Error).message)).toContain('bad.fvecs');
  });
});
