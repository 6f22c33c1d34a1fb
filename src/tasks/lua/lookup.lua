-- taskResult(cacheKey), read in one atomic step so that a task ending concurrently is
-- seen either before (NOT_READY) or after (READY / FAILED), never in between.
-- ARGV: 1 prefix, 2 cacheKey
local prefix, ck = ARGV[1], ARGV[2]
local data = redis.call('GET', prefix .. ':result:' .. ck)
if data then return { 'READY', data } end
local tid = redis.call('GET', prefix .. ':inflight:' .. ck)
if tid then
  local rec = read_record(prefix .. ':task:' .. tid)
  if rec and not TERMINAL[rec.state] then return { 'NOT_READY', flatten(rec) } end
end
local lid = redis.call('GET', prefix .. ':last:' .. ck)
if lid then
  local rec = read_record(prefix .. ':task:' .. lid)
  if rec and rec.state == 'FAILURE' then return { 'FAILED', flatten(rec) } end
end
return { 'NOT_FOUND' }
