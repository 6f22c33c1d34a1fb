// The request body limit (MAX_REQUEST_BYTES), as graphql-yoga's own maxRequestBodySize does
// it, without its cost on every request. Yoga pipes every body through a counting
// TransformStream (a stream pipeline, an AbortController and a DOMException per request:
// about 5% of the API's CPU on cached submissions, bench/task-path.ts --cpu-prof). A body
// with a valid Content-Length needs no counting: Node's HTTP parser never delivers more than
// the header declares, so the header is checked and the body left alone. Only bodies without
// one (chunked transfer encoding) are counted as they arrive.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const tooLarge = () => createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });

/** Envelop plugin: refuses bodies over `limit` bytes with 413 REQUEST_ENTITY_TOO_LARGE (use with yoga's maxRequestBodySize: false). */
export function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        // One non-negative integer; anything else (e.g. "10, 20", a smuggling attempt) is refused.
        if (!/^\d+$/.test(contentLength)) {
          throw createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        }
        if (Number(contentLength) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        let bytes = 0;
        const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        const counted = req.body!.pipeThrough(
          new Transform({
            transform(chunk: Uint8Array, controller) {
              bytes += chunk.byteLength;
              if (bytes > limit) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        // @ts-expect-error duplex is required by Node's fetch for a streamed body, missing from the DOM types
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body: counted, duplex: 'half' }));
      });
    },
  };
}
