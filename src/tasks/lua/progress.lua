-- PROGRESS of the current attempt; progress never decreases within an attempt, and an
-- update that changes nothing publishes nothing. Returns 0 when the attempt is no
-- longer current (fenced out, or the task ended).
-- ARGV: 1 prefix, 2 taskId, 3 attempt, 4 progress (0..100), 5 status, 6 active TTL (s)
local prefix, id, attempt = ARGV[1], ARGV[2], ARGV[3]
local progress, status, active_ttl = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local key = prefix .. ':task:' .. id
local rec = read_record(key)
if not rec or rec.attempts ~= attempt or (rec.state ~= 'STARTED' and rec.state ~= 'PROGRESS') then return 0 end
local old = tonumber(rec.progress)
if progress < old then progress = old end
if rec.state == 'PROGRESS' and progress == old and rec.status == status then return 1 end
local from = rec.state
rec.state = 'PROGRESS'
rec.progress = progress
rec.status = status
commit_transition(prefix, rec, from, active_ttl)
return 1
