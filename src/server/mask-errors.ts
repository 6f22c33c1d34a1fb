// What clients see of an error. Resolvers already turn expected errors (src/errors.ts) into
// GraphQL errors with extensions { code, ...details } (schema/errors.ts), which pass
// through untouched. Anything else is masked as "Unexpected error." and yoga logs the
// original (see yogaLogger). The original is only revealed in development, never otherwise.
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';
import { ExpectedError } from '../errors.js';
import type { Logger } from '../logger.js';

export const UNEXPECTED_MESSAGE = 'Unexpected error.';

/** The yoga `maskedErrors` option for this API. */
export function maskedErrorsOptions(opts: { development: boolean }): YogaServerOptions<object, object>['maskedErrors'] {
  return {
    errorMessage: UNEXPECTED_MESSAGE,
    isDev: opts.development,
    maskError(error, message) {
      const original = error instanceof GraphQLError ? error.originalError : error;
      // Safety net for an expected error that no resolver translated: still the client's to see.
      if (original instanceof ExpectedError) {
        const located = error instanceof GraphQLError ? error : undefined;
        return new GraphQLError(original.message, {
          nodes: located?.nodes,
          source: located?.source,
          positions: located?.positions,
          path: located?.path,
          extensions: { code: original.code, ...original.details },
        });
      }
      return yogaMaskError(error, message, opts.development);
    },
  };
}

/** Routes yoga's log lines into the process logger; errors keep their original cause and stack. */
export function yogaLogger(logger: Logger) {
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    if (error) {
      const cause = error instanceof GraphQLError && error.originalError ? error.originalError : error;
      const path = error instanceof GraphQLError ? error.path : undefined;
      logger[level]({ err: cause, ...(path ? { path } : {}) }, error.message);
      return;
    }
    logger[level](args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
