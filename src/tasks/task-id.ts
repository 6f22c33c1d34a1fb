// Task ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. The time
// in the id is what lets the API tell a task the store LOST (unknown, yet too young to
// have expired) from one that expired: a record outlives its creation by at least the
// result TTL, so an id younger than that which the store does not know was not expired.
import { randomBytes } from 'node:crypto';

/** A new task id: a UUIDv7 carrying `nowMs` (default: now). */
export function newTaskId(nowMs: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6); // 48-bit big-endian timestamp
  b[6] = 0x70 | (b[6]! & 0x0f); // version 7
  b[8] = 0x80 | (b[8]! & 0x3f); // variant 10
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The creation time (Unix ms) carried by a task id; null for anything that is not a UUIDv7 (older ids, typos). */
export function taskIdTime(taskId: string): number | null {
  if (!UUID_V7.test(taskId)) return null;
  return parseInt(taskId.slice(0, 8) + taskId.slice(9, 13), 16);
}
