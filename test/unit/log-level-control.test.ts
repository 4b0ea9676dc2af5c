/**
 * The runtime log level: a change reaches children made before it, is logged with who made it,
 * and a time box brings the previous level back when its (injected) timer fires.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { LogLevelControl, type Schedule } from '../../src/observability/log-level-control.js';

function setup(level = 'info'): { control: LogLevelControl; lines: Array<Record<string, unknown>>; fire: () => void; cancelled: () => number; armed: () => number[]; child: ReturnType<ReturnType<typeof createLogger>['child']> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>), done()) });
  const logger = createLogger({ level, destination });
  const child = logger.child({ component: 'made-before' });
  const timers: Array<{ fire: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Schedule = (fire, ms) => {
    const t = { fire, ms, cancelled: false };
    timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  };
  const control = new LogLevelControl(logger, { now: () => Date.UTC(2026, 11, 3, 12), schedule });
  return {
    control,
    lines,
    child,
    fire: () => timers.filter((t) => !t.cancelled).at(-1)!.fire(),
    cancelled: () => timers.filter((t) => t.cancelled).length,
    armed: () => timers.map((t) => t.ms),
  };
}

describe('log level control', () => {
  it('a change reaches a child made before it, and is logged with its author', () => {
    const { control, lines, child } = setup();
    child.debug('hidden');
    assert.deepEqual(control.set('debug', 'test/ops'), { level: 'debug', initial: 'info' });
    child.debug('shown');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.changedBy, l.previousLevel]),
      [
        [40, 'log level changed through the admin API', 'test/ops', 'info'],
        [20, 'shown', undefined, undefined],
      ],
    );
  });

  it('a level that hides warnings is announced before it applies', () => {
    const { control, lines, child } = setup();
    control.set('error', 'test/ops');
    child.warn('hidden now');
    assert.deepEqual(lines.map((l) => [l.level, l.msg, l.level === 40 ? l.changedBy : undefined]), [[40, 'log level changed through the admin API', 'test/ops']]);
  });

  it('a time box brings the previous level back when its timer fires', () => {
    const { control, lines, fire, armed, child } = setup('warn');
    const state = control.set('trace', 'test/oncall', 900);
    assert.deepEqual(state, { level: 'trace', initial: 'warn', revertsAt: new Date(Date.UTC(2026, 11, 3, 12) + 900_000).toISOString(), revertsTo: 'warn' });
    assert.deepEqual(armed(), [900_000]);
    child.trace('while boxed');
    fire();
    child.trace('after');
    assert.deepEqual(control.state, { level: 'warn', initial: 'warn' });
    assert.deepEqual(lines.map((l) => [l.msg, l.changedBy]), [['log level changed through the admin API', 'test/oncall'], ['while boxed', undefined], ['log level time box over: the previous level is back', 'time box']]);
  });

  it('a second time box cancels the first and keeps its level to come back to; a plain change ends the box', () => {
    const { control, cancelled, fire } = setup('info');
    control.set('debug', 'a', 60);
    control.set('trace', 'b', 120);
    assert.equal(cancelled(), 1);
    assert.equal(control.state.revertsTo, 'info');
    fire();
    assert.equal(control.state.level, 'info');
    control.set('debug', 'c', 60);
    control.set('warn', 'd');
    assert.equal(cancelled(), 2);
    assert.deepEqual(control.state, { level: 'warn', initial: 'info' });
  });

  const misuse: Array<[string, () => void]> = [
    ['an unknown level', () => setup().control.set('verbose' as 'info', 'x')],
    ['a zero duration', () => setup().control.set('debug', 'x', 0)],
    ['a fractional duration', () => setup().control.set('debug', 'x', 1.5)],
    ['more than a day', () => setup().control.set('debug', 'x', 86_401)],
  ];
  for (const [name, call] of misuse) it(`refuses ${name} (misuse: the admin API validates first)`, () => assert.throws(call, TypeError));
});
