-- Decides a submission atomically, so that any number of concurrent identical submits
-- yield exactly one task: CACHED (a result exists), DEDUPLICATED (a task for the key is
-- queued or running), RATE_LIMITED, QUEUE_FULL, or QUEUED (a new PENDING record, claimed
-- in-flight). The bee-queue job of a QUEUED task is saved by the caller right after.
-- ARGV: 1 prefix, 2 cacheKey, 3 newId, 4 kind, 5 now (ISO), 6 now (ms), 7 active TTL (s),
--       8 max queue depth (0 = unlimited), 9 orphan age (ms), 10 bee-queue key prefix, 11 result TTL (s),
--       12 client id ('' = not limited), 13 rate limit (0 = off), 14 rate window (ms),
--       15 data-version key ('' = not checked), 16 the data version the cache key was computed with
local prefix, ck, new_id, kind = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, now_ms, active_ttl = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local max_depth, orphan_ms, bq, result_ttl = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10], tonumber(ARGV[11])
local client, rate_limit, rate_window_ms = ARGV[12], tonumber(ARGV[13]), tonumber(ARGV[14])

-- 0. The cache key must be of the data version Redis holds now (see data-version.ts): if
-- it holds another, nothing is decided and the producer computes the key again.
if ARGV[15] ~= '' then
  local current = redis.call('GET', ARGV[15])
  if current ~= ARGV[16] then return { 'VERSION', current or '' } end
end
local stats = prefix .. ':stats'
-- When the counters began (queueStats.since): the first submission of this prefix.
redis.call('HSETNX', stats, 'since', now)
local result_key = prefix .. ':result:' .. ck
local inflight_key = prefix .. ':inflight:' .. ck
local last_key = prefix .. ':last:' .. ck
local function task_key(id) return prefix .. ':task:' .. id end

-- 1. Answered recently: the ticket's task is the one that produced the result.
local result_pttl = redis.call('PTTL', result_key)
if result_pttl ~= -2 then
  local tid = redis.call('GET', last_key)
  local rec = tid and read_record(task_key(tid))
  if not rec or rec.state ~= 'SUCCESS' then
    -- The producing record is gone (deleted by hand): rebuild a SUCCESS record that
    -- lives exactly as long as the result, so taskStatus(taskId) agrees with taskResult.
    rec = { id = new_id, kind = kind, state = 'SUCCESS', progress = 100,
      status = 'Done (answer served from the cache)', cacheKey = ck, error = '', attempts = 0,
      ended = 0, createdAt = now, createdMs = now_ms, startedAt = '', finishedAt = now }
    write_record(task_key(new_id), rec)
    if result_pttl > 0 then
      redis.call('PEXPIRE', task_key(new_id), result_pttl)
      redis.call('SET', last_key, new_id, 'PX', result_pttl)
    else
      redis.call('SET', last_key, new_id)
    end
  end
  redis.call('HINCRBY', stats, kind .. ':ticket:CACHED', 1)
  return { 'CACHED', flatten(rec) }
end

-- 2. Per-client rate limit: a sliding-window log (one sorted set per client of the times
-- of its counted submissions), on the Redis clock so that every API instance agrees.
-- Checked only now, so CACHED answers never count and are never refused; what counts is
-- recorded below only for DEDUPLICATED and QUEUED (a QUEUE_FULL refusal does not count).
local rate_key, rate_now = nil, nil
if rate_limit > 0 and client ~= '' then
  rate_key = prefix .. ':ratelimit:' .. client
  local t = redis.call('TIME')
  rate_now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', rate_key, '-inf', rate_now - rate_window_ms)
  if redis.call('ZCARD', rate_key) >= rate_limit then
    local oldest = redis.call('ZRANGE', rate_key, 0, 0, 'WITHSCORES')
    -- The oldest counted submission leaves the window at oldest + window.
    return { 'RATE_LIMITED', tostring(tonumber(oldest[2]) + rate_window_ms - rate_now) }
  end
end
local function count_submission()
  if not rate_key then return end
  -- new_id is unique, so the producer can refund exactly this slot if queueing fails.
  redis.call('ZADD', rate_key, rate_now, new_id)
  redis.call('PEXPIRE', rate_key, rate_window_ms)
end

-- 3. Identical task queued or running: hand out the same task.
local tid = redis.call('GET', inflight_key)
if tid then
  local rec = read_record(task_key(tid))
  if rec and not TERMINAL[rec.state] then
    -- A producer that died between this script and saving the job leaves a PENDING
    -- record with no bee-queue job: fail it rather than deduplicate onto it forever.
    local orphan = rec.state == 'PENDING' and (now_ms - tonumber(rec.createdMs)) > orphan_ms
      and redis.call('HEXISTS', bq .. 'jobs', tid) == 0
    if not orphan then
      count_submission()
      redis.call('HINCRBY', stats, kind .. ':ticket:DEDUPLICATED', 1)
      return { 'DEDUPLICATED', flatten(rec) }
    end
    end_task(prefix, rec, 'FAILURE', 'Failed', 'This task was lost before it reached the queue; submit the question again.',
      now, result_ttl)
  end
end

-- 4. Backpressure: waiting tasks are bee-queue's waiting list plus its delayed retries.
-- Tasks decided QUEUED whose job the producer is still saving are in `<prefix>:saving`
-- (removed once saved): without them, concurrent submits would all see the same depth
-- and overshoot the limit. A task may briefly be counted in both places (saved, not yet
-- removed): that errs on refusing, never on exceeding MAX_QUEUE_DEPTH.
local saving_key = prefix .. ':saving'
if max_depth > 0 then
  redis.call('ZREMRANGEBYSCORE', saving_key, '-inf', now_ms - orphan_ms)
  local depth = redis.call('LLEN', bq .. 'waiting') + redis.call('ZCARD', bq .. 'delayed') + redis.call('ZCARD', saving_key)
  if depth >= max_depth then return { 'QUEUE_FULL', tostring(depth) } end
end

-- 5. A new task.
local rec = { id = new_id, kind = kind, state = 'PENDING', progress = 0, status = 'Waiting for a worker',
  cacheKey = ck, error = '', attempts = 0, ended = 0, createdAt = now, createdMs = now_ms,
  startedAt = '', finishedAt = '' }
write_record(task_key(new_id), rec)
redis.call('EXPIRE', task_key(new_id), active_ttl)
redis.call('SET', inflight_key, new_id, 'EX', active_ttl)
if max_depth > 0 then redis.call('ZADD', saving_key, now_ms, new_id) end
count_transition(prefix, kind, nil, 'PENDING')
count_submission()
redis.call('HINCRBY', stats, kind .. ':ticket:QUEUED', 1)
publish_event(prefix, rec)
return { 'QUEUED', flatten(rec) }
