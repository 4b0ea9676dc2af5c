/**
 * The log level of a running gateway, changed through the admin API: at once, or for a while
 * (`durationSeconds`) after which the level it replaced comes back by itself, so that an on-call
 * engineer who turns on `debug` cannot forget it on. Each change is logged at warn level with who
 * made it (the line is written at every level but `silent`).
 */
import type { LevelWithSilent } from 'pino';
import { LOG_LEVELS, setLogLevel, type Logger } from './logger.js';

/** The level in service. */
export interface LogLevelState {
  readonly level: LevelWithSilent;
  /** The level at start (LOG_LEVEL or `info`). */
  readonly initial: LevelWithSilent;
  /** When a time-boxed level ends (ISO 8601), and what comes back then. */
  readonly revertsAt?: string;
  readonly revertsTo?: LevelWithSilent;
}

/** A timer the control arms for a time-boxed level; tests inject one they fire themselves. */
export type Schedule = (fire: () => void, ms: number) => { cancel(): void };

const realSchedule: Schedule = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  // A pending revert must not keep a stopping process alive.
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/** Longest time-boxed level: one day. */
export const MAX_LEVEL_DURATION_SECONDS = 86_400;

/** True when `text` names a level. */
export function isLogLevel(text: string): text is LevelWithSilent {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/** Reads and changes the level of one logger (and its children). */
export class LogLevelControl {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly schedule: Schedule;
  readonly initial: LevelWithSilent;
  private timeBox: { until: number; revertsTo: LevelWithSilent; timer: { cancel(): void } } | undefined;

  constructor(logger: Logger, options: { now?: () => number; schedule?: Schedule } = {}) {
    this.logger = logger;
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? realSchedule;
    this.initial = logger.level as LevelWithSilent;
  }

  /** The level in service. */
  get state(): LogLevelState {
    const level = this.logger.level as LevelWithSilent;
    if (!this.timeBox) return { level, initial: this.initial };
    return { level, initial: this.initial, revertsAt: new Date(this.timeBox.until).toISOString(), revertsTo: this.timeBox.revertsTo };
  }

  /**
   * Sets the level; with `durationSeconds` (1 to a day) the level before comes back after that
   * time (a time box replacing another keeps the first one's level to come back to).
   */
  set(level: LevelWithSilent, changedBy: string, durationSeconds?: number): LogLevelState {
    if (!isLogLevel(level)) throw new TypeError(`unknown log level "${String(level)}"`);
    if (durationSeconds !== undefined && !(Number.isInteger(durationSeconds) && durationSeconds >= 1 && durationSeconds <= MAX_LEVEL_DURATION_SECONDS)) {
      throw new TypeError(`durationSeconds must be an integer from 1 to ${MAX_LEVEL_DURATION_SECONDS}`);
    }
    const previous = this.logger.level as LevelWithSilent;
    const revertsTo = this.timeBox?.revertsTo ?? previous;
    this.timeBox?.timer.cancel();
    this.timeBox = undefined;
    const fields = { logLevel: level, previousLevel: previous, changedBy, ...(durationSeconds !== undefined ? { durationSeconds, revertsTo } : {}) };
    this.apply(level, fields, 'log level changed through the admin API');
    if (durationSeconds !== undefined) {
      const timer = this.schedule(() => this.revert(), durationSeconds * 1000);
      this.timeBox = { until: this.now() + durationSeconds * 1000, revertsTo, timer };
    }
    return this.state;
  }

  /** Ends a time box now (also what its timer calls). */
  private revert(): void {
    const box = this.timeBox;
    if (!box) return;
    this.timeBox = undefined;
    const previous = this.logger.level as LevelWithSilent;
    this.apply(box.revertsTo, { logLevel: box.revertsTo, previousLevel: previous, changedBy: 'time box' }, 'log level time box over: the previous level is back');
  }

  /** Cancels a pending revert (the gateway is stopping). */
  close(): void {
    this.timeBox?.timer.cancel();
    this.timeBox = undefined;
  }

  /**
   * A change is an operator action: its warn line is written under whichever of the two levels
   * lets it through (before the change when the new level hides warnings, after it otherwise).
   */
  private apply(level: LevelWithSilent, fields: Record<string, unknown>, msg: string): void {
    const hidesWarn = level === 'error' || level === 'fatal' || level === 'silent';
    if (hidesWarn) this.logger.warn(fields, msg);
    setLogLevel(this.logger, level);
    if (!hidesWarn) this.logger.warn(fields, msg);
  }
}
