// The dashboard's one error type (no DOM here, so Node tests can import it).

/** What a person can be told about a failed request; `code` is the API's extensions.code. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly code: string,
    /** Path of the offending input value (BAD_USER_INPUT), e.g. "input.filters.timeRanges[0].from". */
    readonly field?: string,
    /** Seconds to wait (RATE_LIMITED). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
