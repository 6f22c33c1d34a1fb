// Task ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. The time
// in the id is what lets the API tell a task the store LOST (unknown, yet too young to
// have expired) from one that expired: a record outlives its creation by at least the
// result TTL, so an id younger than that which the store does not know was not expired.
import { randomUUID } from 'node:crypto';

/** A new task id: a UUIDv7 carrying `nowMs` (default: now). */
export function newTaskId(nowMs: number = Date.now()): string {
  // A v4 UUID (122 random bits, from Node's buffered entropy: no system call per id) with
  // its first 48 bits replaced by the timestamp and its version nibble by 7; the variant
  // bits are the same in both versions. 74 random bits remain, as RFC 9562 asks of v7.
  const v4 = randomUUID();
  const time = nowMs.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${v4.slice(15)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The creation time (Unix ms) carried by a task id; null for anything that is not a UUIDv7 (older ids, typos). */
export function taskIdTime(taskId: string): number | null {
  if (!UUID_V7.test(taskId)) return null;
  return parseInt(taskId.slice(0, 8) + taskId.slice(9, 13), 16);
}
