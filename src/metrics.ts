// Prometheus metrics (prom-client). Each process owns one Registry: the API's is served
// at /metrics by graphql-yoga's Prometheus plugin (HTTP and GraphQL request counts and
// durations come from that plugin); a worker serves its own on WORKER_METRICS_PORT.
import http from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ApiMetrics = {
  registry: Registry;
  /** Submit mutations by task kind and ticket status (QUEUED, CACHED, DEDUPLICATED, or the error code). */
  taskSubmissions: Counter<'kind' | 'status'>;
  /** taskProgress subscriptions currently open on this API process. */
  activeSubscriptions: Gauge;
};

export type WorkerMetrics = {
  registry: Registry;
  /** Seconds from a task's first start to its final state, by kind and final state. */
  taskDuration: Histogram<'kind' | 'state'>;
  /** Attempts that ended, by kind and outcome (success, retry, failure). */
  taskAttempts: Counter<'kind' | 'outcome'>;
  /** Tasks running in this worker right now. */
  tasksRunning: Gauge<'kind'>;
};

/** Queue depth read from Redis at scrape time, by kind and state (waiting, running, ...). */
export type QueueDepthSource = () => Promise<{ kind: string; state: string; count: number }[]>;

function queueDepthGauge(registry: Registry, source: QueueDepthSource | undefined): void {
  if (!source) return;
  new Gauge({
    name: 'kontrata_queue_tasks',
    help: 'Tasks in the queue by kind and state, read from Redis at scrape time',
    labelNames: ['kind', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const { kind, state, count } of await source()) this.set({ kind, state }, count);
      } catch {
        // Redis down: report nothing rather than failing the whole scrape.
      }
    },
  });
}

/** A registry with Node's default process metrics (and the queue depth gauge, given a source): what every Kontrata process reports. */
function processRegistry(queueDepth?: QueueDepthSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  queueDepthGauge(registry, queueDepth);
  return registry;
}

/** Creates the API process's registry and Kontrata's own API metrics. */
export function createApiMetrics(opts: { queueDepth?: QueueDepthSource } = {}): ApiMetrics {
  const registry = processRegistry(opts.queueDepth);
  return {
    registry,
    taskSubmissions: new Counter({
      name: 'kontrata_task_submissions_total',
      help: 'Task submissions by kind and ticket status (QUEUED, CACHED, DEDUPLICATED) or error code',
      labelNames: ['kind', 'status'],
      registers: [registry],
    }),
    activeSubscriptions: new Gauge({
      name: 'kontrata_active_subscriptions',
      help: 'taskProgress subscriptions open on this API process',
      registers: [registry],
    }),
  };
}

/** Creates a worker process's registry and task metrics. */
export function createWorkerMetrics(opts: { queueDepth?: QueueDepthSource } = {}): WorkerMetrics {
  const registry = processRegistry(opts.queueDepth);
  return {
    registry,
    taskDuration: new Histogram({
      name: 'kontrata_task_duration_seconds',
      help: 'Seconds from first start to final state, by task kind and final state',
      labelNames: ['kind', 'state'],
      // Tasks range from a few ms (cached-size searches) to minutes (full analytics at 5M rows).
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    taskAttempts: new Counter({
      name: 'kontrata_task_attempts_total',
      help: 'Task attempts that ended, by kind and outcome (success, retry, failure)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    tasksRunning: new Gauge({
      name: 'kontrata_tasks_running',
      help: 'Tasks running in this worker process',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}

/** Serves `registry` as Prometheus text at http://host:port/metrics; resolves with the bound port. */
export async function startMetricsServer(registry: Registry, port: number, host = '127.0.0.1'): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch((err: Error) => res.writeHead(500).end(`${err.message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
