-- Helpers prepended to every task script (see scripts.ts), after the generated tables K
-- (this script's KEYS by name) and A (its ARGV by name). A task record is a hash whose
-- fields are all strings; '' stands for null (error, startedAt, finishedAt).
-- Scripts that change a record have K.stats (the per-kind counters) and A.channels (the
-- prefix of the progress channels; a task's channel is A.channels .. its id).

local TERMINAL = { SUCCESS = true, FAILURE = true }

local function read_record(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local rec = {}
  for i = 1, #flat, 2 do rec[flat[i]] = flat[i + 1] end
  return rec
end

local function write_record(key, rec)
  redis.call('HSET', key,
    'id', rec.id, 'kind', rec.kind, 'state', rec.state, 'progress', tostring(rec.progress),
    'status', rec.status, 'cacheKey', rec.cacheKey, 'error', rec.error, 'attempts', tostring(rec.attempts),
    'ended', tostring(rec.ended), 'createdAt', rec.createdAt, 'createdMs', tostring(rec.createdMs),
    'startedAt', rec.startedAt, 'finishedAt', rec.finishedAt)
end

-- Published AFTER the record is written (same script), so a subscriber that reads the
-- record on an event never sees an older state than the event's.
local function publish_event(rec)
  local err = rec.error
  if err == nil or err == '' then err = cjson.null end
  redis.call('PUBLISH', A.channels .. rec.id, cjson.encode({
    taskId = rec.id, state = rec.state, progress = tonumber(rec.progress), status = rec.status,
    cacheKey = rec.cacheKey, error = err,
  }))
end

-- Per-kind counters in K.stats: `<KIND>:state:<S>` is a gauge (tasks now in S) for the
-- non-terminal states and a running total for SUCCESS and FAILURE.
local function count_transition(kind, from, to)
  if from == to then return end
  if from and not TERMINAL[from] then redis.call('HINCRBY', K.stats, kind .. ':state:' .. from, -1) end
  redis.call('HINCRBY', K.stats, kind .. ':state:' .. to, 1)
end

-- Commits a state change of `rec` (already changed in memory, previously in state `from`),
-- stored under `key`: the record is written and its TTL renewed, the per-kind gauge moves,
-- and only then the event is published, so a subscriber that reads the record never sees
-- an older state.
local function commit_transition(key, rec, from, ttl)
  write_record(key, rec)
  redis.call('EXPIRE', key, ttl)
  count_transition(rec.kind, from, rec.state)
  publish_event(rec)
end

-- Ends a task: record state, TTL = result TTL, the in-flight claim released, `last` set so
-- taskResult can answer FAILED (or find the producer of a cached result). `at` holds the
-- record's keys: `task` (the record), `inflight` and `last` (of its cache key).
local function end_task(at, rec, outcome, status, err, now, result_ttl)
  local from = rec.state
  rec.state = outcome
  rec.status = status
  rec.error = err
  rec.finishedAt = now
  if outcome == 'SUCCESS' then rec.progress = 100 end
  if redis.call('GET', at.inflight) == rec.id then redis.call('DEL', at.inflight) end
  redis.call('SET', at.last, rec.id, 'EX', result_ttl)
  commit_transition(at.task, rec, from, result_ttl)
end

local function flatten(rec)
  return {
    'id', rec.id, 'kind', rec.kind, 'state', rec.state, 'progress', tostring(rec.progress),
    'status', rec.status, 'cacheKey', rec.cacheKey, 'error', rec.error, 'attempts', tostring(rec.attempts),
    'ended', tostring(rec.ended), 'createdAt', rec.createdAt, 'startedAt', rec.startedAt, 'finishedAt', rec.finishedAt,
  }
end

-- The current Redis time in ms (the clock every API instance and worker agrees on).
local function redis_now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
