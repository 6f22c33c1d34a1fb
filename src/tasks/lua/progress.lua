-- PROGRESS of the current attempt; progress never decreases within an attempt, and an
-- update that changes nothing publishes nothing. Returns 0 when the attempt is no
-- longer current (fenced out, or the task ended).
-- KEYS: task (the record), stats
local attempt, progress, status, active_ttl = A.attempt, tonumber(A.progress), A.status, tonumber(A.activeTtl)
local rec = read_record(K.task)
if not rec or rec.attempts ~= attempt or (rec.state ~= 'STARTED' and rec.state ~= 'PROGRESS') then return 0 end
local old = tonumber(rec.progress)
if progress < old then progress = old end
if rec.state == 'PROGRESS' and progress == old and rec.status == status then return 1 end
local from = rec.state
rec.state = 'PROGRESS'
rec.progress = progress
rec.status = status
commit_transition(K.task, rec, from, active_ttl)
return 1
