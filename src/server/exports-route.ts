// GET /exports/<id>.csv on every API process: streams a finished export from EXPORT_DIR
// (gzip-compressed when the client accepts it). Anything else under /exports/ — an unknown
// or expired id, a malformed one, `..`, encoded slashes, another file's name — is the same
// plain 404, which never says whether something existed. The id is matched on the raw path
// against the id alphabet (A-Z a-z 0-9 _ -) before any file is touched, so no request can
// name a file outside EXPORT_DIR, or a file in it that is not an export.
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { csvPathOf, readMeta } from '../exports/index.js';
import type { Logger } from '../logger.js';

const PREFIX = '/exports/';
const ROUTE = /^\/exports\/([A-Za-z0-9_-]{22})\.csv$/;

/** True when Accept-Encoding allows gzip (named with q > 0, or `*` with q > 0 and gzip not refused). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (name === 'gzip' || name === 'x-gzip') return q > 0;
    if (name === '*') star = q > 0;
  }
  return star;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end('Not found\n');
}

/**
 * The export download handler: returns false for requests that are not under /exports/
 * (they go to GraphQL), and answers the others itself.
 */
export function createExportRoute(opts: { dir: string; logger?: Logger }): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const rawPath = (req.url ?? '').split('?')[0] ?? '';
    if (!rawPath.startsWith(PREFIX) && rawPath !== '/exports') return false;
    void serve(req, res, rawPath).catch((err: unknown) => {
      opts.logger?.warn({ err, path: rawPath }, 'export download failed');
      if (!res.headersSent) notFound(res);
      else res.destroy();
    });
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    const id = ROUTE.exec(rawPath)?.[1];
    const meta = id ? await readMeta(opts.dir, id) : null;
    if (!id || !meta || Date.parse(meta.expiresAt) <= Date.now()) return notFound(res);
    let handle;
    try {
      handle = await open(csvPathOf(opts.dir, id), 'r');
    } catch {
      return notFound(res); // swept between the metadata read and now
    }
    try {
      const { size } = await handle.stat();
      const gzip = acceptsGzip(req.headers['accept-encoding']);
      const secondsLeft = Math.max(0, Math.floor((Date.parse(meta.expiresAt) - Date.now()) / 1000));
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${meta.filename}"`,
        'cache-control': `private, max-age=${secondsLeft}`,
        'x-content-type-options': 'nosniff',
        vary: 'Accept-Encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : { 'content-length': String(size) }),
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      // The stream reads from the open handle: a sweep removing the file meanwhile does not cut the download.
      const body = handle.createReadStream({ autoClose: false });
      await (gzip ? pipeline(body, createGzip(), res) : pipeline(body, res));
    } finally {
      await handle.close();
    }
  }
}
