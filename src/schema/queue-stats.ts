// queueStats: what operators watch (the Flower / RabbitMQ console of Kontrata). The
// snapshot is read from Redis by the task queue (src/tasks/monitor.ts) in one cheap script
// call, so dashboards can poll it every second.
import type { CacheStats, KindQueueStats, QueueStats, WorkerStatus } from '../tasks/index.js';
import { TASK_KINDS, type TicketStatus } from '../tasks/types.js';
import { builder } from './builder.js';
import { TaskKindEnum } from './task-kinds.js';

const SINCE = 'since the counters began (QueueStats.since)';

const TicketCountsRef = builder.objectRef<Record<TicketStatus, number>>('TicketCounts').implement({
  description: `Tickets handed out by the submit mutations, by status, ${SINCE}.`,
  fields: (t) => ({
    queued: t.exposeInt('QUEUED', { description: 'QUEUED: a new task was created.' }),
    cached: t.exposeInt('CACHED', { description: 'CACHED: answered from the result cache, nothing computed.' }),
    deduplicated: t.exposeInt('DEDUPLICATED', { description: 'DEDUPLICATED: joined an identical task already queued or running.' }),
  }),
});

const KindQueueStatsRef = builder.objectRef<KindQueueStats>('TaskKindStats').implement({
  description: 'Tasks of one kind: how many are in each state now, and how many ended so far.',
  fields: (t) => ({
    kind: t.expose('kind', { type: TaskKindEnum, description: 'The task kind these numbers are about.' }),
    waiting: t.exposeInt('waiting', { description: 'Tasks queued and not started yet (state PENDING), now.' }),
    running: t.exposeInt('running', { description: 'Tasks a worker is running (states STARTED and PROGRESS), now.' }),
    retrying: t.exposeInt('retrying', { description: 'Tasks whose last attempt failed and that wait for the next one (state RETRY), now.' }),
    succeeded: t.exposeInt('succeeded', { description: `Tasks that ended in SUCCESS, ${SINCE}.` }),
    failed: t.exposeInt('failed', { description: `Tasks that ended in FAILURE (retries exhausted), ${SINCE}.` }),
    attempts: t.exposeInt('attempts', { description: `Attempts started by workers, retries and crashed attempts included, ${SINCE}.` }),
    tickets: t.expose('tickets', { type: TicketCountsRef, description: `Tickets of this kind by status, ${SINCE}.` }),
  }),
});

const WorkerStatusRef = builder.objectRef<WorkerStatus>('WorkerStatus').implement({
  description: 'A live worker process: one that sent a heartbeat within its last three heartbeat intervals.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Worker id: "<host>:<pid>:<random>".' }),
    pid: t.exposeInt('pid', { description: 'Process id on its host.' }),
    host: t.exposeString('host', { description: 'Host name of the machine it runs on.' }),
    concurrency: t.exposeInt('concurrency', { description: 'Tasks it runs at once at most (WORKER_CONCURRENCY).' }),
    running: t.exposeInt('running', { description: 'Tasks it was running at its last heartbeat.' }),
    lastHeartbeat: t.expose('lastHeartbeat', { type: 'DateTime', description: 'When it last reported (every 5 s by default).' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it started taking tasks.' }),
  }),
});

const CacheStatsRef = builder.objectRef<CacheStats>('CacheStats').implement({
  description: 'The result cache (results live RESULT_TTL_SECONDS).',
  fields: (t) => ({
    entries: t.exposeInt('entries', { description: 'Results in the cache now.' }),
    hits: t.exposeInt('hits', { description: `Tickets answered from the cache (CACHED), ${SINCE}.` }),
    misses: t.exposeInt('misses', {
      description: `Tickets that needed a computation, ${SINCE}: QUEUED (a new task) plus DEDUPLICATED (joined a task already queued or running).`,
    }),
    hitRatio: t.exposeFloat('hitRatio', { nullable: true, description: 'hits / (hits + misses), 0..1; null before the first ticket.' }),
  }),
});

const QueueStatsRef = builder.objectRef<QueueStats>('QueueStats').implement({
  description:
    'A snapshot of the task system, read from Redis only in a single script call (no PostgreSQL, no key scans): cheap enough to poll every second. ' +
    'Counters are shared by every API and worker of the deployment (QUEUE_PREFIX).',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the snapshot was taken (the Redis server\'s clock).' }),
    since: t.expose('since', {
      type: 'DateTime',
      nullable: true,
      description: 'When the totals (succeeded, failed, attempts, tickets, hits, misses) began: the first submission under this QUEUE_PREFIX. Null before it.',
    }),
    kinds: t.expose('kinds', { type: [KindQueueStatsRef], description: `Per task kind: ${TASK_KINDS.join(', ')}, in that order.` }),
    workers: t.expose('workers', { type: [WorkerStatusRef], description: 'Live worker processes, by id.' }),
    cache: t.expose('cache', { type: CacheStatsRef, description: 'The result cache: entries now, hits and misses.' }),
    queueDepth: t.exposeInt('queueDepth', {
      description: 'Tasks waiting to be taken by a worker, plus retries waiting for their backoff, plus tasks being queued this instant: the number MAX_QUEUE_DEPTH bounds.',
    }),
    maxQueueDepth: t.exposeInt('maxQueueDepth', {
      nullable: true,
      description: 'MAX_QUEUE_DEPTH: at this queueDepth new tasks are refused with QUEUE_FULL. Null when unlimited.',
    }),
    oldestWaitingAgeSeconds: t.exposeFloat('oldestWaitingAgeSeconds', {
      nullable: true,
      description: 'Seconds since the task that has waited longest in the queue was submitted; null when no task waits. Growing steadily: add workers.',
    }),
  }),
});

builder.queryField('queueStats', (t) =>
  t.field({
    type: QueueStatsRef,
    description: 'Monitoring: tasks per kind and state, live workers, the result cache and the age of the oldest waiting task. Reads Redis only.',
    resolve: (_root, _args, ctx) => ctx.tasks.stats(),
  }),
);
