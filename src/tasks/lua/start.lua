-- A worker picked the task up: STARTED, attempts + 1. The returned attempt number is the
-- worker's fencing token: later writes carrying an older token are ignored, so a worker
-- that was presumed dead (stalled) cannot overwrite the attempt that replaced it.
-- Crash bound: every attempt that ended (RETRY/SUCCESS/FAILURE) bumps `ended`, so
-- attempts - ended = attempts whose worker died. Past max stalls the task fails here
-- instead of being run again (bee-queue alone would re-run it forever).
-- ARGV: 1 prefix, 2 taskId, 3 now (ISO), 4 active TTL (s), 5 max stalls, 6 result TTL (s)
local prefix, id, now = ARGV[1], ARGV[2], ARGV[3]
local active_ttl, max_stalls, result_ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local key = prefix .. ':task:' .. id
local rec = read_record(key)
if not rec then return { 'MISSING' } end
if TERMINAL[rec.state] then return { 'TERMINAL', flatten(rec) } end

local attempts, ended = tonumber(rec.attempts), tonumber(rec.ended)
local crashes = attempts - ended
if crashes > max_stalls then
  rec.ended = attempts
  end_task(prefix, rec, 'FAILURE', 'Failed',
    string.format('A worker crashed %d time%s while running this task; it was given up so that it cannot take down more workers.',
      crashes, crashes == 1 and '' or 's'),
    now, result_ttl)
  return { 'CRASHED', flatten(rec) }
end

local from = rec.state
rec.attempts = attempts + 1
rec.state = 'STARTED'
rec.progress = 0
rec.status = 'Started'
rec.error = ''
if rec.startedAt == '' then rec.startedAt = now end
local inflight = prefix .. ':inflight:' .. rec.cacheKey
if redis.call('GET', inflight) == id then redis.call('EXPIRE', inflight, active_ttl) end
redis.call('HINCRBY', prefix .. ':stats', rec.kind .. ':attempts', 1)
commit_transition(prefix, rec, from, active_ttl)
return { 'STARTED', flatten(rec) }
