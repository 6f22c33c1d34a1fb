// Public surface of the task system (no GraphQL in it): the producer used by the API,
// and the pieces the worker builds on.
export { createTaskQueue, taskQueueOptionsFromConfig, type TaskQueue, type TaskQueueOptions, type SubmitContext } from './queue.js';
export { createTaskStore, DEFAULT_ACTIVE_TTL_SECONDS, type TaskStore, type StartDecision } from './store.js';
export { createBeeQueue, isNoScriptError, reloadBeeScripts, type TaskBeeQueue, type TaskJobData } from './bee.js';
export { deletePrefixKeys, taskKeys, type TaskKeys } from './keys.js';
export { createAbsenceExplainer, TaskLostError, type AbsenceReason, type TaskAbsence } from './absence.js';
export { newTaskId, taskIdTime } from './task-id.js';
export { cacheKeyFor, isCacheKey, stableStringify } from './cache-key.js';
export { connectDataVersionNotifier, createDataVersionCache, createDataVersionNotifier, VERSION_TTL_MS, type DataVersionCache } from './data-version.js';
export { isTaskKind, parsePayload, prepareTask, runTaskKind, type PreparedTask } from './kinds.js';
export { TASK_REGISTRY, type TaskKindTypes } from './registry.js';
export { defineTaskKind, type TaskKindDefinition, type TaskRunOptions } from './kind-definition.js';
export { isRedisUnavailable, redisCall } from './redis-errors.js';
export { eventOf, parseRecord } from './record.js';
export { parseCounters, type TaskCounters, type KindCounters } from './stats.js';
export {
  describeTaskError,
  InvalidPayloadError,
  TaskTimeoutError,
  UnrecoverableTaskError,
  WorkerShutdownError,
} from './errors.js';
export * from './types.js';
export { kindStats, parseQueueStats, queueDepthSamples, type CacheStats, type KindQueueStats, type QueueStats, type WorkerStatus } from './monitor.js';
export { rateLimitedError, retryAfterSeconds, type RateLimitOptions } from './rate-limit.js';
