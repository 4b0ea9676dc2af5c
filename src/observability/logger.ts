/** The process logger: pino JSON lines on stdout (or a destination given by tests). */
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';
import { redactValue } from './redaction.js';

export type { Logger } from 'pino';

/** Fields on every line. */
const BASE_FIELDS = { service: 'accord' } as const;

/** The levels a logger can be set to, most verbose first. */
export const LOG_LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Where each logger made here writes, its base fields (for the prebuilt access-log lines), and its children (for level changes). */
const destinations = new WeakMap<Logger, { destination: DestinationStream; base: Record<string, string | number>; children: Set<WeakRef<Logger>> }>();

/**
 * Creates the logger. The access log names its fields one by one and never carries headers or
 * tokens, so no redaction pass runs on the hot path. Every other line (warnings, errors, debug
 * detail: none of them per request in normal operation) goes through `redactValue`, which masks
 * credentials in its fields and message, from a `logMethod` hook that pino calls only for
 * enabled levels. A test checks every log line of the test suite for leaked credentials.
 * Timestamps are pino's epoch milliseconds (`time`).
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; fields?: Record<string, string | number> } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  // `fields` (e.g. a cluster worker's id) go on every line, the access log's included.
  const base = { ...BASE_FIELDS, ...options.fields };
  // Weak: a child made per component or per mock listener must not be kept alive by the level control.
  const children = new Set<WeakRef<Logger>>();
  const logger = pino(
    {
      level,
      base,
      onChild: (child) => {
        children.add(new WeakRef(child));
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => redactValue(arg)) as Parameters<typeof method>;
          return method.apply(this, redacted);
        },
      },
    },
    destination,
  );
  destinations.set(logger, { destination, base, children });
  return logger;
}

/**
 * Sets the level of a logger made by createLogger and of every child made from it (pino children
 * copy their parent's level when made, and do not follow it afterwards).
 */
export function setLogLevel(logger: Logger, level: LevelWithSilent): void {
  if (!LOG_LEVELS.includes(level)) throw new TypeError(`unknown log level "${level}"`);
  logger.level = level;
  const children = destinations.get(logger)?.children;
  if (!children) return;
  for (const ref of children) {
    const child = ref.deref();
    if (child) child.level = level;
    else children.delete(ref);
  }
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
