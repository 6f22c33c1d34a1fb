-- Decides a submission atomically, so that any number of concurrent identical submits
-- yield exactly one task: CACHED (a result exists), DEDUPLICATED (a task for the key is
-- queued or running), RATE_LIMITED, QUEUE_FULL, or QUEUED (a new PENDING record, claimed
-- in-flight). The bee-queue job of a QUEUED task is saved by the caller right after.
-- KEYS: stats, result / inflight / last (of the cache key), newTask (record of A.newId),
--       saving, rateLimit (of the client; unused when A.rateLimit is 0),
--       beeJobs / beeWaiting / beeDelayed (bee-queue's, see bee.ts),
--       taskFamily (+ the task id found under last / inflight), dataVersion
-- A.maxDepth 0 = unlimited; A.rateLimit 0 = not limited.
local ck, new_id, kind, now = A.cacheKey, A.newId, A.kind, A.now
local now_ms, active_ttl, result_ttl = tonumber(A.nowMs), tonumber(A.activeTtl), tonumber(A.resultTtl)
local max_depth, orphan_ms = tonumber(A.maxDepth), tonumber(A.orphanMs)
local rate_limit, rate_window_ms = tonumber(A.rateLimit), tonumber(A.rateWindowMs)

-- 0. The cache key must be of the data version Redis holds now (see data-version.ts): if
-- it holds another, nothing is decided and the producer computes the key again.
if A.checkVersion == '1' then
  local current = redis.call('GET', K.dataVersion)
  if current ~= A.dataVersion then return { 'VERSION', current or '' } end
end
-- When the counters began (queueStats.since): the first submission of this prefix.
redis.call('HSETNX', K.stats, 'since', now)
-- The store's epoch (absence.ts): set before any record exists, so a task id older than it was lost.
redis.call('SET', K.epoch, now_ms, 'NX')

-- 1. Answered recently: the ticket's task is the one that produced the result.
local result_pttl = redis.call('PTTL', K.result)
if result_pttl ~= -2 then
  local tid = redis.call('GET', K.last)
  local rec = tid and read_record(K.taskFamily .. tid)
  if not rec or rec.state ~= 'SUCCESS' then
    -- The producing record is gone (deleted by hand): rebuild a SUCCESS record that
    -- lives exactly as long as the result, so taskStatus(taskId) agrees with taskResult.
    rec = { id = new_id, kind = kind, state = 'SUCCESS', progress = 100,
      status = 'Done (answer served from the cache)', cacheKey = ck, error = '', attempts = 0,
      ended = 0, createdAt = now, createdMs = now_ms, startedAt = '', finishedAt = now }
    write_record(K.newTask, rec)
    if result_pttl > 0 then
      redis.call('PEXPIRE', K.newTask, result_pttl)
      redis.call('SET', K.last, new_id, 'PX', result_pttl)
    else
      redis.call('SET', K.last, new_id)
    end
  end
  redis.call('HINCRBY', K.stats, kind .. ':ticket:CACHED', 1)
  return { 'CACHED', flatten(rec) }
end

-- 2. Per-client rate limit: a sliding-window log (one sorted set per client of the times
-- of its counted submissions), on the Redis clock so that every API instance agrees.
-- Checked only now, so CACHED answers never count and are never refused; what counts is
-- recorded below only for DEDUPLICATED and QUEUED (a QUEUE_FULL refusal does not count).
local rate_now = nil
if rate_limit > 0 then
  rate_now = redis_now_ms()
  redis.call('ZREMRANGEBYSCORE', K.rateLimit, '-inf', rate_now - rate_window_ms)
  if redis.call('ZCARD', K.rateLimit) >= rate_limit then
    local oldest = redis.call('ZRANGE', K.rateLimit, 0, 0, 'WITHSCORES')
    -- The oldest counted submission leaves the window at oldest + window.
    return { 'RATE_LIMITED', tostring(tonumber(oldest[2]) + rate_window_ms - rate_now) }
  end
end
local function count_submission()
  if not rate_now then return end
  -- new_id is unique, so the producer can refund exactly this slot if queueing fails.
  redis.call('ZADD', K.rateLimit, rate_now, new_id)
  redis.call('PEXPIRE', K.rateLimit, rate_window_ms)
end

-- 3. Identical task queued or running: hand out the same task.
local tid = redis.call('GET', K.inflight)
if tid then
  local task_key = K.taskFamily .. tid
  local rec = read_record(task_key)
  if rec and not TERMINAL[rec.state] then
    -- A producer that died between this script and saving the job leaves a PENDING
    -- record with no bee-queue job: fail it rather than deduplicate onto it forever.
    local orphan = rec.state == 'PENDING' and (now_ms - tonumber(rec.createdMs)) > orphan_ms
      and redis.call('HEXISTS', K.beeJobs, tid) == 0
    if not orphan then
      count_submission()
      redis.call('HINCRBY', K.stats, kind .. ':ticket:DEDUPLICATED', 1)
      return { 'DEDUPLICATED', flatten(rec) }
    end
    -- Its cache key is ours: it was claimed in-flight under K.inflight.
    end_task({ task = task_key, inflight = K.inflight, last = K.last }, rec, 'FAILURE', 'Failed',
      'This task was lost before it reached the queue; submit the question again.', now, result_ttl)
  end
end

-- 4. Backpressure: waiting tasks are bee-queue's waiting list plus its delayed retries.
-- Tasks decided QUEUED whose job the producer is still saving are in K.saving (removed
-- once saved): without them, concurrent submits would all see the same depth and
-- overshoot the limit. A task may briefly be counted in both places (saved, not yet
-- removed): that errs on refusing, never on exceeding MAX_QUEUE_DEPTH.
if max_depth > 0 then
  redis.call('ZREMRANGEBYSCORE', K.saving, '-inf', now_ms - orphan_ms)
  local depth = redis.call('LLEN', K.beeWaiting) + redis.call('ZCARD', K.beeDelayed) + redis.call('ZCARD', K.saving)
  if depth >= max_depth then return { 'QUEUE_FULL', tostring(depth) } end
end

-- 5. A new task.
local rec = { id = new_id, kind = kind, state = 'PENDING', progress = 0, status = 'Waiting for a worker',
  cacheKey = ck, error = '', attempts = 0, ended = 0, createdAt = now, createdMs = now_ms,
  startedAt = '', finishedAt = '' }
write_record(K.newTask, rec)
redis.call('EXPIRE', K.newTask, active_ttl)
redis.call('SET', K.inflight, new_id, 'EX', active_ttl)
if max_depth > 0 then redis.call('ZADD', K.saving, now_ms, new_id) end
count_transition(kind, nil, 'PENDING')
count_submission()
redis.call('HINCRBY', K.stats, kind .. ':ticket:QUEUED', 1)
publish_event(rec)
return { 'QUEUED', flatten(rec) }
