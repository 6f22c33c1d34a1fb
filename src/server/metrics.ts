// Kontrata's own API metrics, fed by decorating what resolvers call (the task queue and the
// subscription follower) rather than by code in the resolvers. HTTP and GraphQL request
// counts and durations come from graphql-yoga's Prometheus plugin (prometheusPlugin below).
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { ExpectedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ApiMetrics } from '../metrics.js';
import type { FollowTask, TaskQueueApi } from '../schema/context.js';
import type { TaskEvent } from '../tasks/types.js';
import { isTaskId } from './task-follow.js';

/**
 * Counts every submission in kontrata_task_submissions_total{kind,status} (the ticket status,
 * or the error code) and logs it: the first line of a task's life (PENDING), the rest are the worker's.
 */
export function instrumentTasks(tasks: TaskQueueApi, metrics: ApiMetrics, logger: Logger): TaskQueueApi {
  return {
    ...tasks,
    // A malformed id cannot name a task: answered (null) without asking Redis.
    getTask: async (taskId) => (isTaskId(taskId) ? tasks.getTask(taskId) : null),
    getResult: (cacheKey) => tasks.getResult(cacheKey),
    stats: () => tasks.stats(),
    async submit(kind, input, ctx) {
      try {
        const ticket = await tasks.submit(kind, input, ctx);
        metrics.taskSubmissions.inc({ kind, status: ticket.status });
        logger.info({ taskId: ticket.taskId, kind, ticket: ticket.status, state: ticket.task.state, cacheKey: ticket.cacheKey }, 'task submitted');
        return ticket;
      } catch (err) {
        // BAD_USER_INPUT, QUEUE_FULL, RATE_LIMITED, REDIS_UNAVAILABLE ...; anything else is ERROR.
        const code = err instanceof ExpectedError ? err.code : 'ERROR';
        metrics.taskSubmissions.inc({ kind, status: code });
        // Backpressure refusals signal overload or abuse; unexpected failures are logged where they are masked.
        if (code === 'QUEUE_FULL' || code === 'RATE_LIMITED') logger.warn({ kind, code }, 'task submission refused');
        throw err;
      }
    },
  };
}

/** Keeps kontrata_active_subscriptions = taskProgress streams open now (ended for any reason = closed). */
export function countSubscriptions(follow: FollowTask, metrics: ApiMetrics): FollowTask {
  return async (taskId) => {
    // Refused subscriptions (NOT_FOUND, Redis down) throw here and are never counted.
    const source = (await follow(taskId))[Symbol.asyncIterator]();
    metrics.activeSubscriptions.inc();
    let open = true;
    const close = () => {
      if (open) metrics.activeSubscriptions.dec();
      open = false;
    };
    // A hand-written iterator, not an async generator: a generator awaiting the source's
    // next() would queue return() until the next event, so a client that went away would
    // stay counted (and subscribed) until its task changed again.
    const counted: AsyncIterableIterator<TaskEvent> = {
      async next() {
        try {
          const step = await source.next();
          if (step.done) close();
          return step;
        } catch (err) {
          close();
          throw err;
        }
      },
      async return(value?: unknown) {
        close();
        return (await source.return?.(value)) ?? { done: true, value: undefined };
      },
      async throw(err?: unknown) {
        close();
        if (source.throw) return source.throw(err);
        throw err;
      },
      [Symbol.asyncIterator]: () => counted,
    };
    return counted;
  };
}

/**
 * graphql-yoga's Prometheus plugin on the API registry. It serves nothing on the public port:
 * src/app.ts serves the registry on METRICS_PORT. No label takes a value the client picks
 * freely: not the operation name, the URL or the error path (each would let one client grow
 * the series without bound); field and type names come from the schema.
 */
export function prometheusPlugin(metrics: ApiMetrics): Plugin {
  return usePrometheus({
    registry: metrics.registry,
    endpoint: false,
    metrics: {
      // A summary per operation costs memory and cannot be aggregated across instances:
      // the request duration histogram says the same.
      graphql_envelop_request_time_summary: false,
      // Counting uses of deprecated fields walks every operation's document with type info
      // (about a tenth of a cached submission's CPU, bench/task-path.ts), and the schema
      // deprecates nothing. Turn it back on with the first @deprecated field.
      graphql_envelop_deprecated_field: false,
    },
    labels: { url: false, operationName: false, path: false },
  }) as Plugin;
}
