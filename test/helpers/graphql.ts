// Talking to a running API like a real client: HTTP via fetch, subscriptions via the
// graphql-ws client over a real WebSocket.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export type GraphQLErrorJson = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };
export type GraphQLResponse<T = Record<string, unknown>> = { status: number; data?: T | null; errors?: GraphQLErrorJson[] };

/** POSTs one operation (with extra `headers`, e.g. X-Forwarded-For); returns the HTTP status and the parsed body. */
export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GraphQLErrorJson[] };
  return { status: res.status, ...body };
}

/** Like gql, but fails the test on any GraphQL error and returns `data`. */
export async function gqlData<T = any>(url: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T> {
  const res = await gql<T>(url, query, variables, headers);
  if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** A graphql-ws client for the API at `httpUrl` (ws:// on the same path); no reconnects, so failures show. */
export function wsClient(httpUrl: string): Client {
  return createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

export type Collected<T> = { events: T[]; errors: GraphQLErrorJson[] | null; completed: boolean };

/**
 * Runs one operation over graphql-ws and collects every `next` payload's data until the
 * server completes it or sends an error. Rejects after `timeoutMs` so a hang fails the test.
 */
export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  opts: { timeoutMs?: number; onEvent?: (event: T) => void } = {},
): Promise<Collected<T>> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const events: T[] = [];
    let errors: GraphQLErrorJson[] | null = null;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`subscription did not complete within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
    }, timeoutMs);
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) errors = result.errors as GraphQLErrorJson[];
          if (result.data) {
            events.push(result.data as T);
            opts.onEvent?.(result.data as T);
          }
        },
        error: (err) => {
          clearTimeout(timer);
          if (Array.isArray(err)) resolve({ events, errors: err as GraphQLErrorJson[], completed: false });
          else reject(err instanceof Error ? err : new Error(`socket closed: ${JSON.stringify(err, ['code', 'reason'])}`));
        },
        complete: () => {
          clearTimeout(timer);
          resolve({ events, errors, completed: true });
        },
      },
    );
  });
}

export const TASK_PROGRESS = /* GraphQL */ `
  subscription Follow($taskId: ID!) {
    taskProgress(taskId: $taskId) { taskId state progress status cacheKey error }
  }
`;

export type TaskEventJson = { taskId: string; state: string; progress: number; status: string; cacheKey: string; error: string | null };
