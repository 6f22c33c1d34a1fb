-- Ends the current attempt: SUCCESS (the result is stored first, in this same atomic
-- step, so a SUCCESS event always finds its result), RETRY (waiting for the next attempt)
-- or FAILURE. Returns {'STALE'} when the attempt is no longer current.
-- KEYS: task (the record), stats, cacheIndex, resultFamily / inflightFamily / lastFamily
--       (+ the record's cache key)
local attempt, outcome, now, status, err = A.attempt, A.outcome, A.now, A.status, A.error
local result_ttl, active_ttl = tonumber(A.resultTtl), tonumber(A.activeTtl)
local rec = read_record(K.task)
-- The current attempt may end; so may a never-started task (attempt 0) whose job could not
-- be queued, which the producer fails at once.
local running = rec and rec.attempts == attempt and (rec.state == 'STARTED' or rec.state == 'PROGRESS')
local unqueued = rec and attempt == '0' and rec.state == 'PENDING' and outcome == 'FAILURE'
if not running and not unqueued then return { 'STALE' } end
rec.ended = tonumber(rec.ended) + 1
local at = { task = K.task, inflight = K.inflightFamily .. rec.cacheKey, last = K.lastFamily .. rec.cacheKey }

if outcome == 'SUCCESS' then
  redis.call('SET', K.resultFamily .. rec.cacheKey, A.resultJson, 'EX', result_ttl)
  -- Cache index for queueStats (cache entries without scanning the keyspace): cacheKey ->
  -- expiry (ms, Redis clock). Expired members are pruned here and on every read, so the
  -- set holds about the live results only.
  local now_ms = redis_now_ms()
  redis.call('ZREMRANGEBYSCORE', K.cacheIndex, '-inf', now_ms)
  redis.call('ZADD', K.cacheIndex, now_ms + result_ttl * 1000, rec.cacheKey)
  end_task(at, rec, 'SUCCESS', status, '', now, result_ttl)
elseif outcome == 'FAILURE' then
  end_task(at, rec, 'FAILURE', status, err, now, result_ttl)
else
  local from = rec.state
  rec.state = 'RETRY'
  rec.status = status
  rec.error = err
  commit_transition(K.task, rec, from, active_ttl)
end
return { 'OK', flatten(rec) }
