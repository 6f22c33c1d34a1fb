// graphql-ws (graphql-transport-ws) on the GraphQL endpoint, executed through yoga's own
// envelop pipeline (yoga.getEnveloped): the same context factory, validation, error
// masking and plugins as HTTP and SSE. Pattern of graphql-yoga's examples/graphql-ws.
//
// Limits: messages larger than `maxPayload` close the socket (1009); a client with
// `maxPerClient` open sockets gets HTTP 429 instead of an upgrade; a socket with
// `maxSubscriptionsPerSocket` operations running gets TOO_MANY_CONNECTIONS for the next one.
// Closing the socket aborts the signal its operations' context carries (`clientSignal`),
// which cancels a synchronous engine question still running.
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { ConnectionCounter, tooManyConnections } from './connection-caps.js';
import { websocketOriginAllowed } from './cross-site.js';

export type WebSocketLimits = {
  maxPayload: number;
  maxPerClient: number;
  maxSubscriptionsPerSocket: number;
  /** CORS_ORIGINS: pages on these origins (besides the API's own) may open sockets. */
  allowedOrigins: string[];
  clientIdOf: (req: IncomingMessage) => string;
};

type EnvelopedArgs = ExecutionArgs & {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

// Any yoga instance: the WebSocket layer needs only getEnveloped and the endpoint.
type AnyYoga = YogaServerInstance<any, any>;

/** Serves graphql-ws on `server` at yoga's endpoint; returns a function that closes it. */
export function attachWebSocket(server: Server, yoga: AnyYoga, logger: Logger, limits: WebSocketLimits): { close: () => Promise<void>; wss: WebSocketServer } {
  const sockets = new ConnectionCounter(limits.maxPerClient);
  const closed = new WeakMap<object, AbortSignal>();
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: limits.maxPayload,
    verifyClient: ({ req, origin }, done) => {
      // A page on another site must not use its visitors' connections (and their budgets).
      if (!websocketOriginAllowed(origin, req.headers.host, limits.allowedOrigins)) {
        done(false, 403, 'Origin not allowed');
        return;
      }
      const release = sockets.tryOpen(limits.clientIdOf(req));
      if (!release) {
        done(false, 429, `Too many open WebSockets: at most ${limits.maxPerClient} per client`, { 'retry-after': '10' });
        return;
      }
      // The TCP socket closes with the WebSocket, or when the handshake fails after this point.
      req.socket.once('close', release);
      done(true);
    },
  });
  wss.on('error', (err) => logger.error({ err }, 'WebSocket server error'));
  wss.on('connection', (socket) => {
    const controller = new AbortController();
    socket.once('close', () => controller.abort(new Error('the WebSocket closed')));
    closed.set(socket, controller.signal);
  });
  const disposable = useServer(
    {
      execute: (args) => (args as EnvelopedArgs).execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws has registered this operation in ctx.subscriptions already.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [tooManyConnections(`Too many operations on this WebSocket: at most ${limits.maxSubscriptionsPerSocket} at once. Complete one first.`)];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          clientSignal: closed.get(ctx.extra.socket),
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          // A syntax error is the client's: report it instead of closing the socket.
          return [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
        }
        const errors = validate(schema, document);
        if (errors.length) return errors;
        const args: EnvelopedArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          execute,
          subscribe,
        };
        return args;
      },
    },
    wss,
  );
  return {
    wss,
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
