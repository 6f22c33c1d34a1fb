-- queueStats: one consistent snapshot of everything monitoring shows, in one round trip,
-- with a cost independent of the keyspace (no KEYS/SCAN): O(log n) in the cache index,
-- O(live workers) for the heartbeats. The only write prunes expired cache index members.
-- KEYS: cacheIndex, stats, saving, workers, beeWaiting, beeDelayed (bee-queue's, see bee.ts),
--       taskFamily (+ the id of the oldest waiting job), workerFamily (+ each id in workers)
-- Returns { now ms, cache entries, stats hash (flat), waiting, delayed + being queued, oldest waiting createdMs or '',
--           { worker hash (flat), ... } }
local now_ms = redis_now_ms()

redis.call('ZREMRANGEBYSCORE', K.cacheIndex, '-inf', now_ms)
local entries = redis.call('ZCARD', K.cacheIndex)

local waiting = redis.call('LLEN', K.beeWaiting)
local delayed = redis.call('ZCARD', K.beeDelayed)
-- Tasks being queued right now (see submit.lua): counted in the depth MAX_QUEUE_DEPTH bounds.
local saving = redis.call('ZCARD', K.saving)
-- bee-queue LPUSHes new jobs and workers take from the right: the oldest is the last one.
local oldest = ''
local oldest_id = redis.call('LINDEX', K.beeWaiting, -1)
if oldest_id then
  local created = redis.call('HGET', K.taskFamily .. oldest_id, 'createdMs')
  if created then oldest = created end
end

-- A worker's hash expires 3 heartbeats after its last one: present = alive.
local workers = {}
for _, id in ipairs(redis.call('ZRANGE', K.workers, 0, -1)) do
  local h = redis.call('HGETALL', K.workerFamily .. id)
  if #h > 0 then workers[#workers + 1] = h end
end

return { tostring(now_ms), tostring(entries), redis.call('HGETALL', K.stats),
  tostring(waiting), tostring(delayed + saving), oldest, workers }
