/** The process logger: pino JSON lines on stdout (or a destination given by tests). */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Fields on every line. */
const BASE_FIELDS = { service: 'accord' } as const;

/** Where each logger made here writes, and its base fields, for the prebuilt access-log lines. */
const destinations = new WeakMap<Logger, { destination: DestinationStream; base: Record<string, string | number> }>();

/**
 * Creates the logger. Nothing Accord logs carries request headers or tokens (the access log names
 * its fields one by one), so no redaction pass runs on the hot path; a test asserts that no token
 * ever reaches a log line. Timestamps are pino's epoch milliseconds (`time`).
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; fields?: Record<string, string | number> } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  // `fields` (e.g. a cluster worker's id) go on every line, the access log's included.
  const base = { ...BASE_FIELDS, ...options.fields };
  const logger = pino({ level, base }, destination);
  destinations.set(logger, { destination, base });
  return logger;
}

/**
 * A writer of info lines whose fields are already serialised JSON (`"a":1,"b":"x"`), in the same
 * line format as the logger's own (`level`, `time`, the base fields, the fields, `msg`), to the
 * logger's destination, whatever the logger's level (callers check `logger.isLevelEnabled`
 * before building a line). The access log writes one line per request: building it from
 * fragments serialised at load costs a fraction of pino's generic object serialisation.
 */
export function infoLineWriter(logger: Logger, msg: string): (fields: string) => void {
  const made = destinations.get(logger);
  if (!made) throw new TypeError('infoLineWriter needs a logger made by createLogger');
  const { destination } = made;
  const head = `{"level":${pino.levels.values.info},"time":`;
  const base = `,${JSON.stringify(made.base).slice(1, -1)},`;
  const tail = `,"msg":${JSON.stringify(msg)}}\n`;
  return (fields) => {
    destination.write(head + Date.now() + base + fields + tail);
  };
}
