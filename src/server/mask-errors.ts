// What clients see of an error, decided here and only here. Expected errors (src/errors.ts),
// thrown by whichever layer met them, become GraphQL errors with extensions
// { code, ...details } (a ValidationError's field rooted at the GraphQL argument, see
// argument-paths.ts); anything else is masked as "Unexpected error." and logged in full.
// The original is only revealed in development, never otherwise.
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';
import { ExpectedError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { briefError, expectedFields, expectedLevel } from '../expected-log.js';
import type { Logger } from '../logger.js';
import { inputArgumentOf, rootedAt } from './argument-paths.js';

export const UNEXPECTED_MESSAGE = 'Unexpected error.';

/** The schema coordinate ("Mutation.submitSearch") of the field that threw, set by yoga's useErrorCoordinate plugin. */
function coordinateOf(error: GraphQLError): string | undefined {
  const { coordinate } = error as GraphQLError & { coordinate?: unknown };
  return typeof coordinate === 'string' ? coordinate : undefined;
}

/** The client's view of an expected error: its message and extensions { code, ...details }, at the same place in the response. */
function clientError(error: unknown, expected: ExpectedError, schema: GraphQLSchema): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined;
  const coordinate = located && coordinateOf(located);
  const shown = expected instanceof ValidationError && coordinate ? rootedAt(expected, inputArgumentOf(schema, coordinate)) : expected;
  return new GraphQLError(shown.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: { code: shown.code, ...shown.details },
  });
}

/** The yoga `maskedErrors` option for this API: expected errors to extensions, the rest masked. */
export function maskedErrorsOptions(opts: { development: boolean; schema: GraphQLSchema }): YogaServerOptions<object, object>['maskedErrors'] {
  return {
    errorMessage: UNEXPECTED_MESSAGE,
    isDev: opts.development,
    maskError(error, message) {
      const original = error instanceof GraphQLError ? error.originalError : error;
      if (original instanceof ExpectedError) return clientError(error, original, opts.schema);
      return yogaMaskError(error, message, opts.development);
    },
  };
}

/**
 * Routes yoga's log lines into the process logger. Yoga logs every error it replaced in
 * maskError: unexpected ones at error level with their cause and stack; expected ones
 * (e.g. NOT_FOUND, also when a subscription throws it mid-stream) as one info or warn line
 * without a stack (expected-log.ts), a backing service that does not answer with the
 * driver's error in brief.
 */
export function yogaLogger(logger: Logger) {
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    if (error) {
      const cause = error instanceof GraphQLError && error.originalError ? error.originalError : error;
      const path = error instanceof GraphQLError ? error.path : undefined;
      if (cause instanceof ServiceUnavailableError) {
        logger.warn({ ...expectedFields(cause), cause: briefError(cause.cause), ...(path ? { path } : {}) }, cause.message);
      } else if (cause instanceof ExpectedError) {
        logger[expectedLevel(cause)]({ ...expectedFields(cause), ...(path ? { path } : {}) }, cause.message);
      } else {
        logger[level]({ err: cause, ...(path ? { path } : {}) }, error.message);
      }
      return;
    }
    logger[level](args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
