// buildApp(config) -> { start, stop }: graphql-yoga over node:http with graphql-ws on the
// same path, the Redis-backed pub/sub for subscriptions, /health and /ready, and the
// Prometheus /metrics on its own port (METRICS_PORT, off the public one). Nothing happens
// on import; start() listens, stop() releases everything buildApp created.
//
// Public by default: document limits, the synchronous budget, the per-client operation
// rate, connection caps, CSRF prevention and closed CORS are all on (README, "Security
// and limits").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, createYoga, useErrorCoordinate, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import * as contracts from './contracts/index.js';
import { createPrisma, type Db } from './db/prisma.js';
import { startMonthCells, stopMonthCells } from './contracts/month-cells.js';
import { createLogger, type Logger } from './logger.js';
import { createApiMetrics, startMetricsServer, type ApiMetrics } from './metrics.js';
import { schema, type Context, type QueryEngine } from './schema/index.js';
import { clientIdOf } from './server/client-id.js';
import { useRequestBodyLimit } from './server/body-limit.js';
import { createExportRoute } from './server/exports-route.js';
import { startExportSweeper, type ExportSweeper } from './exports/index.js';
import { ConnectionCounter, useSseCap } from './server/connection-caps.js';
import { corsOptions, useCsrfPrevention } from './server/cross-site.js';
import { documentLimitPlugins } from './server/document-limits.js';
import { graphiqlOptions, renderGraphiQL } from './server/graphiql.js';
import { useInputErrorCodes } from './server/input-errors.js';
import { maskedErrorsOptions, yogaLogger } from './server/mask-errors.js';
import { countSubscriptions, instrumentTasks, prometheusPlugin } from './server/metrics.js';
import { useOperationRateLimit } from './server/operation-rate-limit.js';
import { checkReadiness, publicReadiness } from './server/readiness.js';
import { withWebApp } from './server/static.js';
import { createRedisClient, eventTargetSubscriber, withTimeout } from './server/redis.js';
import { createSyncBudget } from './server/sync-budget.js';
import { createTaskFollower } from './server/task-follow.js';
import { attachWebSocket } from './server/websocket.js';
import { createTaskQueue, queueDepthSamples, taskQueueOptionsFromConfig, type TaskQueue } from './tasks/index.js';
import type { TaskEvent } from './tasks/types.js';

export type AppDeps = {
  logger?: Logger;
  /** The engine's pool. Defaults to a Prisma client on config.databaseUrl (closed by stop()). */
  db?: Db;
  /**
   * A small pool for readiness and the data-version read, so a busy engine never makes /ready
   * fail. Defaults to a 2-connection Prisma client on config.databaseUrl (closed by stop()).
   */
  housekeepingDb?: Db;
  /** Defaults to src/contracts. */
  engine?: QueryEngine;
  /** Defaults to a task queue on config.redisUrl / config.queuePrefix (closed by stop()). */
  tasks?: TaskQueue;
  /** Extra yoga/envelop plugins (metrics, rate limits ...), after the built-in ones. */
  plugins?: Plugin[];
  /** Subscriptions re-read the task record after this long without events (default 10 s). */
  subscriptionPollMs?: number;
};

/** What the HTTP server (node:http) or the WebSocket layer gives each request. */
export type ServerContext = { req?: IncomingMessage; res?: ServerResponse; clientSignal?: AbortSignal };
export type KontrataYoga = YogaServerInstance<ServerContext, Context>;

export type App = {
  /**
   * Listens on config.host:config.port (0 = any free port) and serves /metrics on
   * config.metricsHost:metricsPort (0 = off); resolves with the GraphQL and metrics URLs.
   */
  start(): Promise<{ url: string; metricsUrl: string | null }>;
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
  // The engine's pool: SYNC_CONCURRENCY questions plus filterOptions and cancel requests.
  const db = deps.db ?? createPrisma(config.databaseUrl, { max: Math.max(10, config.syncConcurrency + 6) });
  if (ownsDb && config.monthCells) startMonthCells(db, logger);
  const ownsHousekeeping = !deps.housekeepingDb;
  const housekeeping = deps.housekeepingDb ?? createPrisma(config.databaseUrl, { max: 2 });
  const engine: QueryEngine = deps.engine ?? contracts;
  const syncBudget = createSyncBudget({ timeoutMs: config.syncTimeoutMs, concurrency: config.syncConcurrency });
  const ownsTasks = !deps.tasks;
  const tasks =
    deps.tasks ??
    createTaskQueue({
      // Submissions read the data version on the housekeeping pool.
      ...taskQueueOptionsFromConfig(config, housekeeping),
      onError: () => {}, // outages surface as REDIS_UNAVAILABLE on the calls that hit them
    });
  // A registry per app (not prom-client's global one), so several apps in one process
  // (tests) each report their own numbers. Queue depth is read from Redis at scrape time.
  const metrics = createApiMetrics({ queueDepth: async () => queueDepthSamples(await tasks.counters()) });
  const instrumentedTasks = instrumentTasks(tasks, metrics, logger);

  // Subscriber: commands wait for a reconnect instead of failing (maxRetriesPerRequest null),
  // so the event target's unawaited SUBSCRIBE/UNSUBSCRIBE calls never reject.
  const subscriber = createRedisClient(config.redisUrl, 'subscribe', logger, { maxRetriesPerRequest: null });
  const publisher = createRedisClient(config.redisUrl, 'publish', logger, { maxRetriesPerRequest: 1, autoPipelining: true });
  const pubsub = createPubSub<Record<string, [taskId: string, event: TaskEvent]>>({
    eventTarget: createRedisEventTarget({ publishClient: publisher, subscribeClient: eventTargetSubscriber(subscriber, logger) }),
  });
  const followTask = countSubscriptions(createTaskFollower({
    subscribe: (taskId) => pubsub.subscribe(tasks.progressTopic, taskId),
    // Replies on one connection come in order: once PING answers, earlier SUBSCRIBEs are active.
    subscriptionsActive: () => withTimeout(subscriber.ping(), SUBSCRIBE_CONFIRM_MS, 'Redis did not confirm the subscription').then(() => {}),
    getTask: (taskId) => tasks.getTask(taskId),
    explainMissing: (taskId) => tasks.explainMissingTask(taskId),
    pollIntervalMs: deps.subscriptionPollMs ?? 10_000,
    logger,
  }), metrics);

  const development = config.nodeEnv === 'development';
  const clientOf = (req: IncomingMessage | undefined) => clientIdOf(req, config.trustProxy);
  const yoga: KontrataYoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: development,
    // GraphiQL stays on in production: it is how people explore the data.
    graphiql: graphiqlOptions(),
    renderGraphiQL, // bundled assets: GraphiQL works without internet
    logging: yogaLogger(logger),
    maskedErrors: maskedErrorsOptions({ development, schema }),
    // Real questions are a few KB; the largest valid filter is well under 100 KB. The limit
    // is useRequestBodyLimit's (below): yoga's own would stream every body through a counter.
    maxRequestBodySize: false,
    cors: corsOptions(config.corsOrigins),
    context: ({ req, request, clientSignal }) => {
      const clientId = clientOf(req);
      return {
        db,
        // HTTP and SSE: the Fetch request's signal aborts when the client disconnects; graphql-ws: the socket's.
        // Read only if an engine question is asked (see engineFor).
        engine: syncBudget.engineFor(engine, clientId, () => (request as Request | undefined)?.signal ?? clientSignal),
        tasks: instrumentedTasks,
        followTask,
        clientId,
        logger,
      };
    },
    plugins: [
      useRequestBodyLimit(config.maxRequestBytes),
      useErrorCoordinate(), // tells maskError which field threw (schema coordinate)
      useCsrfPrevention(),
      useSseCap(new ConnectionCounter(config.maxSsePerClient), clientOf),
      ...documentLimitPlugins({ production: !development }),
      useInputErrorCodes(),
      useOperationRateLimit({
        redis: publisher,
        prefix: config.queuePrefix,
        limit: config.queryRateLimit,
        windowSeconds: config.queryRateWindowSeconds,
        logger,
      }),
      prometheusPlugin(metrics),
      useReadinessCheck({
        endpoint: '/ready',
        check: async ({ fetchAPI }) => {
          const report = await checkReadiness(housekeeping, publisher);
          if (!report.ready) logger.warn({ postgres: report.postgres, redis: report.redis }, 'not ready');
          return new fetchAPI.Response(JSON.stringify(publicReadiness(report)), {
            status: report.ready ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          });
        },
      }),
      ...(deps.plugins ?? []),
    ],
  });

  // Export downloads (GET /exports/<id>.csv) are plain HTTP next to GraphQL; the dashboard
  // (web/dist) is served at / in front of both.
  const serveExport = createExportRoute({ dir: config.exportDir, logger });
  const server = createServer(
    withWebApp((req, res) => {
      if (!serveExport(req, res)) void yoga(req, res);
    }),
  );
  let sweeper: ExportSweeper | undefined;
  const ws = attachWebSocket(server, yoga, logger, {
    maxPayload: config.maxRequestBytes,
    maxPerClient: config.maxWebSocketsPerClient,
    maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket,
    allowedOrigins: config.corsOrigins,
    clientIdOf: clientOf,
  });
  let metricsServer: { port: number; close: () => Promise<void> } | null = null;

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
        withTimeout(housekeeping.$queryRaw`SELECT 1`, 5000, 'warm-up').catch(() => {}),
      ]);
      if (config.metricsPort > 0) metricsServer = await startMetricsServer(metrics.registry, config.metricsPort, config.metricsHost);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      sweeper = startExportSweeper({ dir: config.exportDir, ttlSeconds: config.resultTtlSeconds, partialStaleMs: (config.taskTimeoutSeconds + 60) * 1000, logger });
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      const metricsHost = config.metricsHost.includes(':') ? `[${config.metricsHost}]` : config.metricsHost;
      return {
        url: `http://${host}:${port}${yoga.graphqlEndpoint}`,
        metricsUrl: metricsServer ? `http://${metricsHost}:${metricsServer.port}/metrics` : null,
      };
    },
    async stop() {
      sweeper?.stop();
      await ws.close(); // completes every subscription (unsubscribing from Redis)
      await metricsServer?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([
        subscriber.quit().catch(() => subscriber.disconnect()),
        publisher.quit().catch(() => publisher.disconnect()),
        ownsTasks ? tasks.close() : Promise.resolve(),
        ownsDb ? stopMonthCells(db).then(() => db.$disconnect()) : Promise.resolve(),
        ownsHousekeeping ? housekeeping.$disconnect() : Promise.resolve(),
      ]);
    },
  };
}

async function connectQuietly(client: Redis): Promise<void> {
  // ioredis keeps retrying in the background after a failed first connect.
  await client.connect().catch(() => {});
}
