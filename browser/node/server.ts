import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` and in-memory `extra` files (e.g. /data/base.fvecs) on 127.0.0.1 at a random port.
 * Only GET of paths inside root; nothing else on the machine is reachable through it.
 */
export async function serveStatic(root: string, extra: ReadonlyMap<string, Uint8Array | string> = new Map()): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      const body = extra.get(path) ?? (await readInside(root, path.endsWith('/') ? `${path}index.html` : path));
      if (req.method !== 'GET' || body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readInside(root: string, urlPath: string): Promise<Uint8Array | undefined> {
  const file = normalize(join(root, urlPath));
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}
