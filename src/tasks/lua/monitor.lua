-- queueStats: one consistent snapshot of everything monitoring shows, in one round trip,
-- with a cost independent of the keyspace (no KEYS/SCAN): O(log n) in the cache index,
-- O(live workers) for the heartbeats. The only write prunes expired cache index members.
-- ARGV: 1 prefix, 2 bee-queue key prefix ('<prefix>:bq:tasks:')
-- Returns { now ms, cache entries, stats hash (flat), waiting, delayed + being queued, oldest waiting createdMs or '',
--           { worker hash (flat), ... } }
local prefix, bq = ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local index = prefix .. ':cache'
redis.call('ZREMRANGEBYSCORE', index, '-inf', now_ms)
local entries = redis.call('ZCARD', index)

local waiting = redis.call('LLEN', bq .. 'waiting')
local delayed = redis.call('ZCARD', bq .. 'delayed')
-- Tasks being queued right now (see submit.lua): counted in the depth MAX_QUEUE_DEPTH bounds.
local saving = redis.call('ZCARD', prefix .. ':saving')
-- bee-queue LPUSHes new jobs and workers take from the right: the oldest is the last one.
local oldest = ''
local oldest_id = redis.call('LINDEX', bq .. 'waiting', -1)
if oldest_id then
  local created = redis.call('HGET', prefix .. ':task:' .. oldest_id, 'createdMs')
  if created then oldest = created end
end

-- A worker's hash expires 3 heartbeats after its last one: present = alive.
local workers = {}
for _, id in ipairs(redis.call('ZRANGE', prefix .. ':workers', 0, -1)) do
  local h = redis.call('HGETALL', prefix .. ':worker:' .. id)
  if #h > 0 then workers[#workers + 1] = h end
end

return { tostring(now_ms), tostring(entries), redis.call('HGETALL', prefix .. ':stats'),
  tostring(waiting), tostring(delayed + saving), oldest, workers }
