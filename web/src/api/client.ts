// The dashboard's only ways to reach the API: HTTP POST for queries and mutations, and one
// graphql-ws connection for taskProgress that reconnects (and resubscribes) by itself.
import { createClient, type Client } from 'graphql-ws';
import { ApiError } from './api-error.js';

export { ApiError };

type ErrorJson = { message: string; extensions?: { code?: string; field?: string; retryAfterSeconds?: number } };

const GRAPHQL_PATH = '/graphql';

/** POSTs one operation; resolves with `data` or rejects with an ApiError. */
export async function request<TData, TVars extends object>(query: string, variables: TVars, signal?: AbortSignal): Promise<TData> {
  let res: Response;
  try {
    res = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('Cannot reach the Kontrata API. Check your connection and try again.', 'NETWORK');
  }
  let body: { data?: TData | null; errors?: ErrorJson[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`The API answered ${res.status} without a GraphQL response.`, 'NETWORK');
  }
  const first = body.errors?.[0];
  if (first) {
    const ext = first.extensions ?? {};
    throw new ApiError(first.message, ext.code ?? 'INTERNAL_SERVER_ERROR', ext.field, ext.retryAfterSeconds);
  }
  if (!body.data) throw new ApiError('The API answered without data.', 'INTERNAL_SERVER_ERROR');
  return body.data;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

let ws: Client | undefined;
let connection: ConnectionState = 'idle';
const listeners = new Set<(state: ConnectionState) => void>();

function setConnection(state: ConnectionState): void {
  connection = state;
  for (const listener of listeners) listener(state);
}

/** Follows the WebSocket's state (for the "connection lost, reconnecting" notice). */
export function onConnectionChange(listener: (state: ConnectionState) => void): () => void {
  listeners.add(listener);
  listener(connection);
  return () => listeners.delete(listener);
}

/**
 * The shared graphql-ws client. Lazy (connects on the first subscription); on a lost
 * connection it retries forever with backoff and re-sends every active subscription, and
 * taskProgress answers a new subscription with the task's current state first, so nothing
 * is missed while disconnected.
 */
export function wsClient(): Client {
  if (ws) return ws;
  const url = new URL(GRAPHQL_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let everConnected = false;
  ws = createClient({
    url: url.href,
    lazy: true,
    lazyCloseTimeout: 30_000,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 10_000) * (0.5 + Math.random() / 2))),
    on: {
      connecting: () => setConnection(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        setConnection('connected');
      },
      // 1000: closed on purpose (no subscription left); anything else was lost (or never made).
      closed: (event) => setConnection((event as CloseEvent | undefined)?.code === 1000 ? 'idle' : 'reconnecting'),
    },
  });
  return ws;
}
