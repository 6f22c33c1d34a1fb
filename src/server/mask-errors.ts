// What clients see of an error. Expected errors (src/errors.ts) keep their message and
// carry extensions { code, ...details }; anything else is masked as "Unexpected error."
// and logged in full. The original is only revealed in development, never otherwise.
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';
import { ExpectedError } from '../errors.js';
import type { Logger } from '../logger.js';

export const UNEXPECTED_MESSAGE = 'Unexpected error.';

/** The yoga `maskedErrors` option for this API. */
export function maskedErrorsOptions(opts: { logger: Logger; development: boolean }): YogaServerOptions<object, object>['maskedErrors'] {
  return {
    errorMessage: UNEXPECTED_MESSAGE,
    isDev: opts.development,
    maskError(error, message) {
      const original = error instanceof GraphQLError ? error.originalError : error;
      if (original instanceof ExpectedError) {
        const located = error instanceof GraphQLError ? error : undefined;
        if (original.cause !== undefined) opts.logger.warn({ err: original.cause, code: original.code }, original.message);
        return new GraphQLError(original.message, {
          nodes: located?.nodes,
          source: located?.source,
          positions: located?.positions,
          path: located?.path,
          extensions: { code: original.code, ...original.details },
        });
      }
      const masked = yogaMaskError(error, message, opts.development);
      if (masked !== error) {
        opts.logger.error({ err: original ?? error, path: error instanceof GraphQLError ? error.path : undefined }, 'Unexpected error in a GraphQL operation');
      }
      return masked;
    },
  };
}
