// Serves the dashboard's built files (web/dist, written by `npm run build:web`) in front of
// yoga: `/` is index.html (revalidated on every load, so a new build is seen at once),
// `/assets/*` are content-hashed by Vite and cached for a year as immutable. Anything else
// (GraphQL, /health, /ready, exports ...) goes to the next handler untouched.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

/** web/dist of this checkout (src/server -> repository root). */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const MISSING_BUILD = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Kontrata</title>
<p>The dashboard has not been built: run <code>npm run build</code> (or <code>npm start</code>, which builds it).
GraphiQL is at <a href="/graphql">/graphql</a>.</p></html>`;

/** Resolves a URL path to a file under `root`, or null (outside root, missing, or a directory). */
function fileFor(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded));
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function send(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): void {
  const ext = extname(file);
  const headers: Record<string, string> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) headers['content-encoding'] = 'gzip';
  else headers['content-length'] = String(statSync(file).size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
}

/**
 * Wraps a request listener (yoga) so that GET/HEAD of `/`, `/index.html` and `/assets/*`
 * are answered from `root` (default web/dist). When the build is missing, `/` explains how
 * to build it instead of failing.
 */
export function withWebApp(next: RequestListener, root: string = WEB_DIST): RequestListener {
  const base = resolve(root);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next(req, res);
    const pathname = (req.url ?? '/').split('?')[0]!;
    const isPage = pathname === '/' || pathname === '/index.html';
    if (!isPage && !pathname.startsWith('/assets/')) return next(req, res);
    const file = fileFor(base, pathname);
    if (file) return send(req, res, file, isPage ? REVALIDATE : IMMUTABLE);
    if (isPage && !existsSync(join(base, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : MISSING_BUILD);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('Not found');
  };
}
