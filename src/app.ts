// buildApp(config) -> { start, stop }: graphql-yoga over node:http with graphql-ws on the
// same path, the Redis-backed pub/sub for subscriptions, /health, /ready and /metrics
// (Prometheus). Nothing happens on import; start() listens, stop() releases everything
// buildApp created.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, createYoga, useErrorCoordinate, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import * as contracts from './contracts/index.js';
import { createPrisma, type Db } from './db/prisma.js';
import { createLogger, type Logger } from './logger.js';
import { createApiMetrics, type ApiMetrics } from './metrics.js';
import { schema, type Context, type QueryEngine } from './schema/index.js';
import { useRequestBodyLimit } from './server/body-limit.js';
import { clientIdOf } from './server/client-id.js';
import { graphiqlOptions } from './server/graphiql.js';
import { useInputErrorCodes } from './server/input-errors.js';
import { maskedErrorsOptions, yogaLogger } from './server/mask-errors.js';
import { countSubscriptions, instrumentTasks, prometheusPlugin } from './server/metrics.js';
import { checkReadiness } from './server/readiness.js';
import { createRedisClient, eventTargetSubscriber, withTimeout } from './server/redis.js';
import { createTaskFollower } from './server/task-follow.js';
import { attachWebSocket } from './server/websocket.js';
import { createTaskQueue, queueDepthSamples, taskQueueOptionsFromConfig, type TaskQueue } from './tasks/index.js';
import type { TaskEvent } from './tasks/types.js';

export type AppDeps = {
  logger?: Logger;
  /** Defaults to a Prisma client on config.databaseUrl (closed by stop()). */
  db?: Db;
  /** Defaults to src/contracts. */
  engine?: QueryEngine;
  /** Defaults to a task queue on config.redisUrl / config.queuePrefix (closed by stop()). */
  tasks?: TaskQueue;
  /** Extra yoga/envelop plugins (metrics, rate limits ...), after the built-in ones. */
  plugins?: Plugin[];
  /** Subscriptions re-read the task record after this long without events (default 10 s). */
  subscriptionPollMs?: number;
};

export type ServerContext = { req?: IncomingMessage };
export type KontrataYoga = YogaServerInstance<ServerContext, Context>;

export type App = {
  /** Listens on config.host:config.port (0 = any free port); resolves with the GraphQL URL. */
  start(): Promise<{ url: string }>;
  /** Closes WebSockets, the HTTP server and the connections buildApp opened. */
  stop(): Promise<void>;
  yoga: KontrataYoga;
  server: Server;
  /** This process's Prometheus registry and Kontrata's metrics (served at /metrics). */
  metrics: ApiMetrics;
};

// How long a subscription waits for Redis to confirm SUBSCRIBE before answering REDIS_UNAVAILABLE.
const SUBSCRIBE_CONFIRM_MS = 3000;

/** Wires the API together without starting it. */
export function buildApp(config: Config, deps: AppDeps = {}): App {
  const logger = deps.logger ?? createLogger({ level: config.logLevel, name: 'api' });
  const ownsDb = !deps.db;
  const db = deps.db ?? createPrisma(config.databaseUrl);
  const engine: QueryEngine = deps.engine ?? contracts;
  const ownsTasks = !deps.tasks;
  const tasks =
    deps.tasks ??
    createTaskQueue({
      ...taskQueueOptionsFromConfig(config, db),
      onError: () => {}, // outages surface as REDIS_UNAVAILABLE on the calls that hit them
    });
  // A registry per app (not prom-client's global one), so several apps in one process
  // (tests) each report their own numbers. Queue depth is read from Redis at scrape time.
  const metrics = createApiMetrics({ queueDepth: async () => queueDepthSamples(await tasks.counters()) });
  const instrumentedTasks = instrumentTasks(tasks, metrics, logger);

  // Subscriber: commands wait for a reconnect instead of failing (maxRetriesPerRequest null),
  // so the event target's unawaited SUBSCRIBE/UNSUBSCRIBE calls never reject.
  const subscriber = createRedisClient(config.redisUrl, 'subscribe', logger, { maxRetriesPerRequest: null });
  const publisher = createRedisClient(config.redisUrl, 'publish', logger, { maxRetriesPerRequest: 1 });
  const pubsub = createPubSub<Record<string, [taskId: string, event: TaskEvent]>>({
    eventTarget: createRedisEventTarget({ publishClient: publisher, subscribeClient: eventTargetSubscriber(subscriber, logger) }),
  });
  const followTask = countSubscriptions(createTaskFollower({
    subscribe: (taskId) => pubsub.subscribe(tasks.progressTopic, taskId),
    // Replies on one connection come in order: once PING answers, earlier SUBSCRIBEs are active.
    subscriptionsActive: () => withTimeout(subscriber.ping(), SUBSCRIBE_CONFIRM_MS, 'Redis did not confirm the subscription').then(() => {}),
    getTask: (taskId) => tasks.getTask(taskId),
    pollIntervalMs: deps.subscriptionPollMs ?? 10_000,
    logger,
  }), metrics);

  const development = config.nodeEnv === 'development';
  const yoga: KontrataYoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    maxRequestBodySize: false, // enforced by useRequestBodyLimit (last plugin), without yoga's per-request stream
    healthCheckEndpoint: '/health',
    landingPage: development,
    graphiql: graphiqlOptions(),
    logging: yogaLogger(logger),
    maskedErrors: maskedErrorsOptions({ development, schema }),
    context: ({ req }) => ({ db, engine, tasks: instrumentedTasks, followTask, clientId: clientIdOf(req, config.trustProxy), logger }),
    plugins: [
      useErrorCoordinate(), // tells maskError which field threw (schema coordinate)
      useInputErrorCodes(),
      prometheusPlugin(metrics),
      useReadinessCheck({
        endpoint: '/ready',
        check: async ({ fetchAPI }) => {
          const report = await checkReadiness(db, publisher);
          return new fetchAPI.Response(JSON.stringify(report), {
            status: report.ready ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          });
        },
      }),
      ...(deps.plugins ?? []),
      useRequestBodyLimit(), // after every request parser, as yoga places its own check
    ],
  });

  const server = createServer(yoga);
  const ws = attachWebSocket(server, yoga, logger);

  return {
    yoga,
    server,
    metrics,
    async start() {
      // Connections are opened before listening so the first requests do not pay for them,
      // but failures do not stop the start: the API starts (and reports not ready) while a
      // service is down, and reconnects when it returns.
      await Promise.all([
        connectQuietly(subscriber),
        connectQuietly(publisher),
        withTimeout(db.$queryRaw`SELECT 1`, 5000, 'warm-up').catch(() => {}),
      ]);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      return { url: `http://${host}:${port}${yoga.graphqlEndpoint}` };
    },
    async stop() {
      await ws.close(); // completes every subscription (unsubscribing from Redis)
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([
        subscriber.quit().catch(() => subscriber.disconnect()),
        publisher.quit().catch(() => publisher.disconnect()),
        ownsTasks ? tasks.close() : Promise.resolve(),
        ownsDb ? db.$disconnect() : Promise.resolve(),
      ]);
    },
  };
}

async function connectQuietly(client: Redis): Promise<void> {
  // ioredis keeps retrying in the background after a failed first connect.
  await client.connect().catch(() => {});
}
