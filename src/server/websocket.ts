// graphql-ws (graphql-transport-ws) on the GraphQL endpoint, executed through yoga's own
// envelop pipeline (yoga.getEnveloped): the same context factory, validation, error
// masking and plugins as HTTP and SSE. Pattern of graphql-yoga's examples/graphql-ws.
import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';

type EnvelopedArgs = ExecutionArgs & {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

// Any yoga instance: the WebSocket layer needs only getEnveloped and the endpoint.
type AnyYoga = YogaServerInstance<any, any>;

/** Serves graphql-ws on `server` at yoga's endpoint; returns a function that closes it. */
export function attachWebSocket(server: Server, yoga: AnyYoga, logger: Logger): { close: () => Promise<void>; wss: WebSocketServer } {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  wss.on('error', (err) => logger.error({ err }, 'WebSocket server error'));
  const disposable = useServer(
    {
      execute: (args) => (args as EnvelopedArgs).execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
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
