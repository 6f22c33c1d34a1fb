// The dashboard's files as the API serves them: index.html revalidated on every load,
// hashed assets immutable and gzip-compressed, nothing outside the build folder, and every
// other path left to GraphQL.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWebApp } from '../../src/server/static.js';

let root: string;
let server: Server;
let base: string;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<[Server, string]> {
  const s = createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`];
}

/** GET with the path sent exactly as given. */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kontrata-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Kontrata</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("kontrata");'.repeat(50));
  writeFileSync(join(tmpdir(), 'kontrata-secret.txt'), 'secret');
  [server, base] = await listen(
    withWebApp((req, res) => {
      res.writeHead(418, { 'content-type': 'text/plain' });
      res.end(`next ${req.method} ${req.url}`);
    }, root),
  );
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('withWebApp', () => {
  describe('when the build exists', () => {
    it('serves / as index.html that browsers revalidate', async () => {
      const res = await fetch(`${base}/?contractor=petron`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe('<!doctype html><title>Kontrata</title>');
    });

    it('serves hashed assets as immutable, gzip-compressed when asked', async () => {
      const res = await fetch(`${base}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' }, decompress: false } as RequestInit);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const body = Buffer.from(await res.arrayBuffer());
      // fetch may or may not have decompressed it already; either way the bytes are the file's.
      const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString() : body.toString();
      expect(text).toBe('console.log("kontrata");'.repeat(50));
    });

    it('answers 404 for a missing asset and never leaves the build folder', async () => {
      expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
      // Raw paths (fetch would normalise the dots away before sending).
      for (const path of ['/assets/..%2f..%2fkontrata-secret.txt', '/assets/../../kontrata-secret.txt', '/assets/%2e%2e/%2e%2e/kontrata-secret.txt']) {
        expect(await rawStatus(path)).toBe(404);
      }
    });

    it('leaves GraphQL, other paths and other methods to the next handler', async () => {
      for (const [method, path] of [['GET', '/graphql'], ['POST', '/'], ['GET', '/health'], ['GET', '/exports/x.csv']] as const) {
        const res = await fetch(`${base}${path}`, { method });
        expect(res.status).toBe(418);
        expect(await res.text()).toBe(`next ${method} ${path}`);
      }
    });
  });

  describe('when the build is missing', () => {
    it('explains at / how to build it', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'kontrata-web-empty-'));
      const [s, url] = await listen(withWebApp(() => {}, empty));
      try {
        const res = await fetch(`${url}/`);
        expect(res.status).toBe(503);
        expect(await res.text()).toContain('npm run build');
      } finally {
        await new Promise((resolve) => s.close(resolve));
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });
});
