// Per-client caps on long-lived connections of one API process: open WebSockets
// (MAX_WEBSOCKETS_PER_CLIENT) and open SSE responses (MAX_SSE_PER_CLIENT). Counted in
// memory: a connection lives on one process, and the process is what it exhausts (file
// descriptors, memory, Redis subscriptions). A refused WebSocket upgrade is answered
// HTTP 429 before the upgrade; a refused SSE request gets a 429 GraphQL response with
// extensions.code TOO_MANY_CONNECTIONS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { TooManyConnectionsError } from '../errors.js';

/** Open connections per client, up to `max` each. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Counts one more connection of `clientId` and returns its release (idempotent), or null when the client is at its cap. */
  tryOpen(clientId: string): (() => void) | null {
    const n = this.open.get(clientId) ?? 0;
    if (n >= this.max) return null;
    this.open.set(clientId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(clientId) ?? 1) - 1;
      if (left <= 0) this.open.delete(clientId);
      else this.open.set(clientId, left);
    };
  }

  /** Open connections of `clientId` now. */
  count(clientId: string): number {
    return this.open.get(clientId) ?? 0;
  }
}

/** The client-facing error of a refused connection. */
export function tooManyConnections(message: string): GraphQLError {
  const err = new TooManyConnectionsError(message);
  return new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } });
}

const wantsEventStream = (request: Request): boolean => (request.headers.get('accept') ?? '').includes('text/event-stream');

/** Yoga plugin: at most `counter.max` open SSE responses per client; the count drops when the response closes. */
export function useSseCap(counter: ConnectionCounter, clientIdOf: (req: IncomingMessage | undefined) => string): Plugin<object, { req?: IncomingMessage; res?: ServerResponse }> {
  return {
    onRequest({ request, serverContext, endResponse, fetchAPI }) {
      if (!wantsEventStream(request)) return;
      const clientId = clientIdOf(serverContext.req);
      const release = counter.tryOpen(clientId);
      if (!release) {
        const error = tooManyConnections(`Too many open event streams: at most ${counter.max} per client. Close one, or use graphql-ws.`);
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [error.toJSON()] }), {
            status: 429,
            headers: { 'content-type': 'application/json' },
          }),
        );
        return;
      }
      // 'close' fires when the response ends or the client goes away, whichever is first.
      if (serverContext.res) serverContext.res.once('close', release);
      else request.signal.addEventListener('abort', release, { once: true });
    },
  };
}
