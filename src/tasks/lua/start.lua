-- A worker picked the task up: STARTED, attempts + 1. The returned attempt number is the
-- worker's fencing token: later writes carrying an older token are ignored, so a worker
-- that was presumed dead (stalled) cannot overwrite the attempt that replaced it.
-- Crash bound: every attempt that ended (RETRY/SUCCESS/FAILURE) bumps `ended`, so
-- attempts - ended = attempts whose worker died. Past max stalls the task fails here
-- instead of being run again (bee-queue alone would re-run it forever).
-- KEYS: task (the record), stats, inflightFamily and lastFamily (+ the record's cache key)
local now = A.now
local active_ttl, max_stalls, result_ttl = tonumber(A.activeTtl), tonumber(A.maxStalls), tonumber(A.resultTtl)
local rec = read_record(K.task)
if not rec then return { 'MISSING' } end
if TERMINAL[rec.state] then return { 'TERMINAL', flatten(rec) } end
local at = { task = K.task, inflight = K.inflightFamily .. rec.cacheKey, last = K.lastFamily .. rec.cacheKey }

local attempts, ended = tonumber(rec.attempts), tonumber(rec.ended)
local crashes = attempts - ended
if crashes > max_stalls then
  rec.ended = attempts
  end_task(at, rec, 'FAILURE', 'Failed',
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
if redis.call('GET', at.inflight) == rec.id then redis.call('EXPIRE', at.inflight, active_ttl) end
redis.call('HINCRBY', K.stats, rec.kind .. ':attempts', 1)
commit_transition(K.task, rec, from, active_ttl)
return { 'STARTED', flatten(rec) }
