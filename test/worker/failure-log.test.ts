// Failed attempts in the worker's log: expected conditions are one warn line without a
// stack; only the unexpected is logged at error level with the full error.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { InvalidPayloadError, TaskTimeoutError, WorkerShutdownError } from '../../src/tasks/index.js';
import { isExpectedFailure, logFailure } from '../../worker/failure-log.js';

function capture() {
  const lines: Record<string, any>[] = [];
  return { lines, log: pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) }) };
}

describe('worker failure log', () => {
  describe('when the failure is expected', () => {
    it.each([
      ['a task timeout', new TaskTimeoutError(900)],
      ['an invalid payload', new InvalidPayloadError('Invalid task payload: kind "X"')],
      ['a shutdown', new WorkerShutdownError()],
      ['Redis not answering', new ServiceUnavailableError('redis', 'Redis is not available')],
      ['PostgreSQL shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
      ['a dropped database connection, wrapped', new Error('query failed', { cause: Object.assign(new Error('Connection terminated unexpectedly'), {}) })],
    ])('logs %s at warn with its message and no stack', (_what, err) => {
      const { lines, log } = capture();
      expect(isExpectedFailure(err)).toBe(true);
      logFailure(log, { state: 'RETRY', taskId: 't1' }, err, 'task attempt failed; will retry');
      expect(lines).toEqual([expect.objectContaining({ level: 40, state: 'RETRY', taskId: 't1', msg: 'task attempt failed; will retry', error: expect.objectContaining({ message: (err as Error).message.split('\n')[0] }) })]);
      expect(JSON.stringify(lines[0])).not.toMatch(/"stack"/);
    });
  });

  describe('when the failure is unexpected', () => {
    it('logs it at error level with the full error and its stack', () => {
      const { lines, log } = capture();
      const bug = new TypeError("Cannot read properties of undefined (reading 'rows')");
      expect(isExpectedFailure(bug)).toBe(false);
      logFailure(log, { state: 'FAILURE' }, bug, 'task failed');
      expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'task failed', err: expect.objectContaining({ type: 'TypeError', stack: expect.stringContaining('TypeError') }) })]);
    });

    it('counts an SQL error (a bad query, not an outage) as unexpected', () => {
      expect(isExpectedFailure(Object.assign(new Error('column "x" does not exist'), { code: '42703' }))).toBe(false);
    });
  });
});
