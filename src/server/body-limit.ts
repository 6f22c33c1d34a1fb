// The request body limit (MAX_REQUEST_BODY_BYTES, yoga's own default) at the cost of
// reading one header.
//
// yoga's built-in check (its maxRequestBodySize option) pipes every request body through a
// counting TransformStream and builds a second Request around it: measured with
// bench/task-path.ts, about a fifth of the CPU a cached submission costs the API. A body with
// a Content-Length needs no counting: Node's HTTP parser never delivers more bytes than that
// header declares, and refuses a request that also says Transfer-Encoding. So the header is
// checked, and only a body without one (chunked) is counted, the way yoga does it.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Largest request body accepted, in bytes (graphql-yoga's default). */
export const MAX_REQUEST_BODY_BYTES = 25_000_000;

// Only a single non-negative integer is a valid Content-Length (a list of values is a
// request-smuggling attempt).
const CONTENT_LENGTH = /^\d+$/;

const tooLarge = () =>
  createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
const badLength = () =>
  createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });

/** Envelop plugin: refuses request bodies over `limit` bytes (413); use with yoga's `maxRequestBodySize: false`, after every request parser. */
export function useRequestBodyLimit(limit = MAX_REQUEST_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        if (!CONTENT_LENGTH.test(contentLength)) throw badLength();
        if (Number(contentLength) > limit) throw tooLarge();
        return; // Node delivers no more than Content-Length bytes
      }
      if (!requestParser || !request.body) return;
      setRequestParser((req) => requestParser(countedBody(req, limit, fetchAPI)));
    },
  };
}

/** `request` with a body that errors once more than `limit` bytes went through (graphql-yoga's limitRequestBodySize). */
function countedBody(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  // A native ReadableStream body needs the native TransformStream (graphql-yoga issue 4583).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytes = 0;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}
