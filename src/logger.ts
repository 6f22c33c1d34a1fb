// Structured JSON logs (pino), one logger per process. Level from LOG_LEVEL.
// Secrets never reach the logs: connection URLs are logged without passwords
// (describeDatabaseUrl), and the usual secret-bearing keys are redacted as a backstop.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the process logger; `name` tells API and worker lines apart. */
export function createLogger(opts: { level: string; name: string }): Logger {
  return pino({
    name: opts.name,
    level: opts.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'databaseUrl', '*.databaseUrl', 'redisUrl', '*.redisUrl', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
