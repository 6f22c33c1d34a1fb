import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { describeTaskError, TaskTimeoutError, WorkerShutdownError } from '../../src/tasks/errors.js';

describe('describeTaskError', () => {
  describe('when Prisma wraps a PostgreSQL error', () => {
    it('keeps PostgreSQL\'s words and SQLSTATE', () => {
      const err = Object.assign(
        new Error('\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `42501`. Message: `permission denied for table contracts`'),
        { code: 'P2010' },
      );
      expect(describeTaskError(err)).toBe('Database error: permission denied for table contracts (SQLSTATE 42501)');
    });
  });

  describe('when node-postgres reports an error with a SQLSTATE', () => {
    it('says it is a database error', () => {
      expect(describeTaskError(Object.assign(new Error('relation "contracts" does not exist'), { code: '42P01' }))).toBe(
        'Database error: relation "contracts" does not exist',
      );
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
