// Request bodies over MAX_REQUEST_BODY_BYTES are refused (413), whether they declare their
// length or come chunked; bodies within it are served either way.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from '../../src/server/body-limit.js';
import { startStack, type Stack } from '../helpers/stack.js';

type Answer = { status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };

/** POSTs `chunks` (chunked when `contentLength` is absent); resolves with the first answer, then drops the connection. */
function post(url: string, chunks: Iterable<string>, contentLength?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (contentLength !== undefined) headers['content-length'] = contentLength;
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString() || '{}') });
        req.destroy();
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      if (contentLength === undefined) req.end();
    })().catch(() => {});
  });
}

const QUERY = JSON.stringify({ query: '{ __typename }' });

/** A JSON body of more than MAX_REQUEST_BODY_BYTES, in 1 MB chunks. */
function* oversized(): Generator<string> {
  const mb = 'x'.repeat(1_000_000);
  yield '{"query":"{ __typename }","variables":{"pad":"';
  for (let sent = 0; sent <= MAX_REQUEST_BODY_BYTES; sent += mb.length) yield mb;
  yield '"}}';
}

describe('request body limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('server_body_limit', { workers: 0, contracts: 10 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('when the Content-Length is over the limit', () => {
    it('answers 413 at once, without reading the body', async () => {
      const res = await post(stack.url, ['{"query":'], MAX_REQUEST_BODY_BYTES + 1);
      expect(res.status).toBe(413);
      expect(res.body.errors?.[0]?.message).toBe('Request body too large');
    });
  });

  describe('when a chunked body grows over the limit', () => {
    it('answers 413', async () => {
      const res = await post(stack.url, oversized());
      expect(res.status).toBe(413);
      expect(res.body.errors?.[0]?.message).toBe('Request body too large');
    });
  });

  describe('when the body is within the limit', () => {
    it('serves it with a Content-Length and chunked alike', async () => {
      expect(await post(stack.url, [QUERY], Buffer.byteLength(QUERY))).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(await post(stack.url, [QUERY.slice(0, 10), QUERY.slice(10)])).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });
  });
});
