-- Ends the current attempt: SUCCESS (the result is stored first, in this same atomic
-- step, so a SUCCESS event always finds its result), RETRY (waiting for the next attempt)
-- or FAILURE. Returns {'STALE'} when the attempt is no longer current.
-- ARGV: 1 prefix, 2 taskId, 3 attempt, 4 outcome, 5 now (ISO), 6 status, 7 error,
--       8 result TTL (s), 9 active TTL (s), 10 result JSON (SUCCESS only)
local prefix, id, attempt, outcome, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local status, err, result_ttl, active_ttl = ARGV[6], ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])
local key = prefix .. ':task:' .. id
local rec = read_record(key)
-- The current attempt may end; so may a never-started task (attempt 0) whose job could not
-- be queued, which the producer fails at once.
local running = rec and rec.attempts == attempt and (rec.state == 'STARTED' or rec.state == 'PROGRESS')
local unqueued = rec and attempt == '0' and rec.state == 'PENDING' and outcome == 'FAILURE'
if not running and not unqueued then return { 'STALE' } end
rec.ended = tonumber(rec.ended) + 1

if outcome == 'SUCCESS' then
  redis.call('SET', prefix .. ':result:' .. rec.cacheKey, ARGV[10], 'EX', result_ttl)
  -- Cache index for queueStats (cache entries without scanning the keyspace): cacheKey ->
  -- expiry (ms, Redis clock). Expired members are pruned here and on every read, so the
  -- set holds about the live results only.
  local t = redis.call('TIME')
  local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local index = prefix .. ':cache'
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now_ms)
  redis.call('ZADD', index, now_ms + result_ttl * 1000, rec.cacheKey)
  end_task(prefix, rec, 'SUCCESS', status, '', now, result_ttl)
elseif outcome == 'FAILURE' then
  end_task(prefix, rec, 'FAILURE', status, err, now, result_ttl)
else
  local from = rec.state
  rec.state = 'RETRY'
  rec.status = status
  rec.error = err
  commit_transition(prefix, rec, from, active_ttl)
end
return { 'OK', flatten(rec) }
