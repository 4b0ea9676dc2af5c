/** The process logger: pino JSON lines on stdout (or a destination given by tests). */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Creates the logger. Nothing Accord logs carries request headers or tokens (the access log names
 * its fields one by one), so no redaction pass runs on the hot path; a test asserts that no token
 * ever reaches a log line.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    {
      level,
      base: { service: 'accord' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
