-- Helpers prepended to every task script (see scripts.ts). A task record is a hash whose
-- fields are all strings; '' stands for null (error, startedAt, finishedAt).
-- Keys are derived from the prefix in ARGV rather than declared in KEYS because the
-- record and result keys are found through each other (inflight -> task); Kontrata runs
-- on a single Redis (no cluster), where this is allowed.

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
local function publish_event(prefix, rec)
  local err = rec.error
  if err == nil or err == '' then err = cjson.null end
  redis.call('PUBLISH', prefix .. ':task:progress:' .. rec.id, cjson.encode({
    taskId = rec.id, state = rec.state, progress = tonumber(rec.progress), status = rec.status,
    cacheKey = rec.cacheKey, error = err,
  }))
end

-- Per-kind counters in <prefix>:stats: `<KIND>:state:<S>` is a gauge (tasks now in S) for
-- the non-terminal states and a running total for SUCCESS and FAILURE.
local function count_transition(prefix, kind, from, to)
  if from == to then return end
  local stats = prefix .. ':stats'
  if from and not TERMINAL[from] then redis.call('HINCRBY', stats, kind .. ':state:' .. from, -1) end
  redis.call('HINCRBY', stats, kind .. ':state:' .. to, 1)
end

-- Commits a state change of `rec` (already changed in memory, previously in state `from`):
-- the record is written and its TTL renewed, the per-kind gauge moves, and only then the
-- event is published, so a subscriber that reads the record never sees an older state.
local function commit_transition(prefix, rec, from, ttl)
  local key = prefix .. ':task:' .. rec.id
  write_record(key, rec)
  redis.call('EXPIRE', key, ttl)
  count_transition(prefix, rec.kind, from, rec.state)
  publish_event(prefix, rec)
end

-- Ends a task: record state, TTL = result TTL, the in-flight claim released, `last` set so
-- taskResult can answer FAILED (or find the producer of a cached result).
local function end_task(prefix, rec, outcome, status, err, now, result_ttl)
  local from = rec.state
  rec.state = outcome
  rec.status = status
  rec.error = err
  rec.finishedAt = now
  if outcome == 'SUCCESS' then rec.progress = 100 end
  local inflight = prefix .. ':inflight:' .. rec.cacheKey
  if redis.call('GET', inflight) == rec.id then redis.call('DEL', inflight) end
  redis.call('SET', prefix .. ':last:' .. rec.cacheKey, rec.id, 'EX', result_ttl)
  commit_transition(prefix, rec, from, result_ttl)
end

local function flatten(rec)
  return {
    'id', rec.id, 'kind', rec.kind, 'state', rec.state, 'progress', tostring(rec.progress),
    'status', rec.status, 'cacheKey', rec.cacheKey, 'error', rec.error, 'attempts', tostring(rec.attempts),
    'ended', tostring(rec.ended), 'createdAt', rec.createdAt, 'startedAt', rec.startedAt, 'finishedAt', rec.finishedAt,
  }
end
