-- taskResult(cacheKey), read in one atomic step so that a task ending concurrently is
-- seen either before (NOT_READY) or after (READY / FAILED), never in between.
-- KEYS: result, inflight, last (of the cache key), taskFamily (+ the task id found under inflight / last)
local data = redis.call('GET', K.result)
if data then return { 'READY', data } end
local tid = redis.call('GET', K.inflight)
if tid then
  local rec = read_record(K.taskFamily .. tid)
  if rec and not TERMINAL[rec.state] then return { 'NOT_READY', flatten(rec) } end
end
local lid = redis.call('GET', K.last)
if lid then
  local rec = read_record(K.taskFamily .. lid)
  if rec and rec.state == 'FAILURE' then return { 'FAILED', flatten(rec) } end
end
return { 'NOT_FOUND' }
