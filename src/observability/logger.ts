/** The process logger: pino JSON lines on stdout (or a destination given by tests). */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Creates the logger. Authorization and token-bearing fields are redacted wherever they appear. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    {
      level,
      base: { service: 'accord' },
      redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'token', '*.token'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
