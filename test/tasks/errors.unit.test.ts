import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError, ValidationError } from '../../src/errors.js';
import { describeTaskError, TaskTimeoutError, WorkerShutdownError } from '../../src/tasks/errors.js';

describe('describeTaskError', () => {
  // Errors that Prisma raises for real statements and connections: test/db/errors.test.ts.
  describe('when node-postgres reports an error with a SQLSTATE', () => {
    it('says it is a database error, in PostgreSQL\'s words, with the SQLSTATE', () => {
      expect(describeTaskError(Object.assign(new Error('relation "contracts" does not exist'), { code: '42P01' }))).toBe(
        'Database error: relation "contracts" does not exist (SQLSTATE 42P01)',
      );
    });
  });

  describe('when the database did not answer', () => {
    it('says so, with what the driver reported', () => {
      const err = new ServiceUnavailableError('postgres', undefined, { cause: new Error('Connection terminated unexpectedly') });
      expect(describeTaskError(err)).toBe('Database unavailable: Connection terminated unexpectedly');
    });
  });

  describe('when the error is one a client can act on', () => {
    it('passes its message through', () => {
      expect(describeTaskError(new ValidationError('page', 'must be at least 1'))).toBe('page: must be at least 1');
      expect(describeTaskError(new TaskTimeoutError(900))).toMatch(/^Timed out after 900 s/);
      expect(describeTaskError(new WorkerShutdownError())).toMatch(/worker shut down/);
    });
  });

  describe('when the error is unexpected or huge', () => {
    it('labels it, flattens whitespace and clips it to 1000 characters', () => {
      expect(describeTaskError(new TypeError('x is\n  not a function'))).toBe('Unexpected error: x is not a function');
      expect(describeTaskError('plain string')).toBe('Unexpected error: plain string');
      const long = describeTaskError(new Error('y'.repeat(5000)));
      expect(long).toHaveLength(1000);
      expect(long.endsWith('…')).toBe(true);
    });
  });
});
