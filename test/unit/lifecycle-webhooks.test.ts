/**
 * Lifecycle webhooks without a gateway: the signature scheme (a receiver's verification table),
 * delivery retries with exponential backoff and full jitter against a real receiver on loopback
 * (waits injected, never slept), and sunset reminders with an injected clock over a file registry:
 * each threshold once per version, across two notifiers sharing the store.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { signWebhook, verifyWebhook } from '../../src/registry/webhooks/webhook-signature.js';
import { WebhookSender, type WebhookDelivery } from '../../src/registry/webhooks/webhook-sender.js';
import { LifecycleNotifier, type WebhookEvent } from '../../src/registry/webhooks/lifecycle-notifier.js';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import type { VersionRecord } from '../../src/registry/model.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { freePort } from '../support/free-port.js';

const SECRET = 'whsec-unit-9c1d';
const logger = pino({ level: 'silent' });
const DAY = 86_400_000;

describe('webhook signature', () => {
  const body = '{"id":"evt_1","type":"version.retired"}';
  const t = 1_790_000_000;
  const header = signWebhook(SECRET, body, t);
  const cases: Array<{ name: string; secret: string; body: string; header: string | undefined; now: number; expected: string | undefined }> = [
    { name: 'valid', secret: SECRET, body, header, now: t + 10, expected: undefined },
    { name: 'body changed', secret: SECRET, body: body.replace('retired', 'deprecated'), header, now: t, expected: 'signature mismatch' },
    { name: 'another secret', secret: 'other', body, header, now: t, expected: 'signature mismatch' },
    { name: 'timestamp changed (it is signed)', secret: SECRET, body, header: header.replace(`t=${t}`, `t=${t + 1}`), now: t, expected: 'signature mismatch' },
    { name: 'too old (replay)', secret: SECRET, body, header, now: t + 301, expected: 'timestamp outside the tolerance' },
    { name: 'no header', secret: SECRET, body, header: undefined, now: t, expected: 'no signature header' },
    { name: 'malformed', secret: SECRET, body, header: 'v1=abc', now: t, expected: 'malformed signature header' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(verifyWebhook(c.secret, c.body, c.header, c.now), c.expected));
  }
  it('is t=<unix>,v1=<64 hex>', () => assert.match(header, /^t=1790000000,v1=[0-9a-f]{64}$/));
});

describe('webhook delivery', () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await startWebhookReceiver(SECRET, { '/flaky': [500, 503], '/down': [500, 500, 500], '/gone': [404] });
  });
  after(() => receiver.close());

  function sender(attempts: number): { sender: WebhookSender; waits: number[]; outcomes: string[]; failures: number[] } {
    const waits: number[] = [];
    const outcomes: string[] = [];
    const failures: number[] = [];
    const s = new WebhookSender(
      { secret: SECRET, timeoutMs: 2000, attempts, backoffMs: 100, maxBackoffMs: 150 },
      { logger, random: () => 0.5, wait: async (ms) => void waits.push(ms), onOutcome: (_t, o) => outcomes.push(o), onAttemptFailure: () => failures.push(1) },
    );
    return { sender: s, waits, outcomes, failures };
  }
  const delivery = (path: string, id: string): WebhookDelivery => ({ id, type: 'version.deprecated', url: `${receiver.url}${path}`, body: JSON.stringify({ id, type: 'version.deprecated' }) });

  const cases: Array<{ name: string; path: string; attempts: number; answers: number[]; waits: number[]; outcome: string }> = [
    { name: 'two 5xx then 200: retried with backoff and full jitter (capped), delivered once', path: '/flaky', attempts: 5, answers: [500, 503, 200], waits: [50, 75], outcome: 'delivered' },
    { name: 'every attempt fails: given up after the last one', path: '/down', attempts: 3, answers: [500, 500, 500], waits: [50, 75], outcome: 'failed' },
    { name: 'a non-2xx that is not 5xx is retried too', path: '/gone', attempts: 2, answers: [404, 200], waits: [50], outcome: 'delivered' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const s = sender(c.attempts);
      s.sender.send(delivery(c.path, `evt_${c.path.slice(1)}`));
      await s.sender.idle();
      const got = receiver.received.filter((r) => r.path === c.path);
      assert.deepEqual(got.map((r) => r.answered), c.answers);
      assert.ok(got.every((r) => r.signatureProblem === undefined && r.eventId === `evt_${c.path.slice(1)}`));
      assert.deepEqual(s.waits, c.waits);
      assert.deepEqual(s.outcomes, [c.outcome]);
      assert.equal(s.failures.length, c.answers.filter((a) => a !== 200).length);
    });
  }

  it('a receiver that cannot be reached is an attempt failure, retried', async () => {
    const port = await freePort();
    const s = sender(2);
    s.sender.send({ id: 'evt_x', type: 'version.retired', url: `http://127.0.0.1:${port}/nobody`, body: '{}' });
    await s.sender.idle();
    assert.deepEqual([s.failures.length, s.outcomes, s.waits], [2, ['failed'], [50]]);
  });
});

describe('sunset reminders (injected clock, file registry)', () => {
  let dir: string;
  let store: FileRegistryStore;
  const T0 = Date.parse('2026-12-01T12:00:00Z');
  const version = (v: string, sunset: number): VersionRecord => ({ api: 'orders', version: v, status: 'published', digest: `sha256:${v}`, format: 'yaml', publishedAt: new Date(T0 - DAY).toISOString(), sunset: new Date(sunset).toISOString() });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-reminders-'));
    store = new FileRegistryStore(dir);
    const actor = { provider: 'test', subject: 'owner' };
    for (const [v, sunset] of [['1.0.0', T0 + 40 * DAY], ['1.1.0', T0 + 5 * DAY]] as const) {
      const record = version(v, sunset);
      await store.put({ ...record, sunset: undefined }, `openapi: 3.1.0 # ${v}`, { at: record.publishedAt, actor, action: 'register', api: 'orders', version: v });
      await store.change({ api: 'orders', version: v, from: ['published'], patch: { status: 'deprecated', deprecatedAt: new Date(T0).toISOString(), sunset: record.sunset } }, { at: new Date(T0).toISOString(), actor, action: 'deprecate', api: 'orders', version: v });
    }
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each threshold once per version; a threshold passed before the first check is not sent; a second instance sends nothing twice', async () => {
    let now = T0;
    const sent: WebhookEvent[] = [];
    const notifier = (): LifecycleNotifier =>
      new LifecycleNotifier({
        send: (d) => sent.push(JSON.parse(d.body) as WebhookEvent),
        contacts: () => [{ id: 'acme', contact: 'https://hooks.acme.example/accord' }, { id: 'globex', contact: 'dev@globex.example' }],
        callers: async () => [{ consumer: 'acme', calls: 3, lastSeen: new Date(T0).toISOString(), operations: ['listOrders'] }, { consumer: 'globex', calls: 1, lastSeen: new Date(T0).toISOString(), operations: ['getOrder'] }],
        store,
        reminderDays: [30, 7, 1],
        logger,
        now: () => now,
      });
    const one = notifier();
    const two = notifier();
    const steps: Array<{ at: number; who: LifecycleNotifier; expected: string[] }> = [
      // 1.1.0 has 5 days left at the first check: its 7-day reminder, never the 30-day one.
      { at: T0, who: one, expected: ['1.1.0 7'] },
      { at: T0 + 10.5 * DAY, who: one, expected: ['1.0.0 30'] },
      { at: T0 + 10.6 * DAY, who: two, expected: [] },
      { at: T0 + 4.5 * DAY + 10 * DAY, who: two, expected: [] },
      { at: T0 + 34 * DAY, who: two, expected: ['1.0.0 7'] },
      { at: T0 + 34 * DAY, who: one, expected: [] },
      { at: T0 + 39.5 * DAY, who: one, expected: ['1.0.0 1'] },
      { at: T0 + 41 * DAY, who: one, expected: [] },
    ];
    for (const [i, step] of steps.entries()) {
      now = step.at;
      sent.length = 0;
      await step.who.remindSunsets();
      assert.deepEqual(sent.map((e) => `${e.version} ${e.daysBeforeSunset}`), step.expected, `step ${i}`);
      // Only acme has a URL contact.
      assert.ok(sent.every((e) => e.type === 'version.sunset-approaching' && e.consumer.id === 'acme' && e.consumer.contact === 'https://hooks.acme.example/accord'));
    }
  });

  it('1.1.0 reached its 1-day threshold later: sent once', async () => {
    const sent: WebhookDelivery[] = [];
    const n = new LifecycleNotifier({ send: (d) => sent.push(d), contacts: () => [{ id: 'acme', contact: 'https://hooks.acme.example/a' }], callers: async () => [{ consumer: 'acme', calls: 1, lastSeen: '', operations: [] }], store, reminderDays: [30, 7, 1], logger, now: () => T0 + 4.5 * DAY });
    assert.equal(await n.remindSunsets(), 1);
    assert.equal(await n.remindSunsets(), 0);
    assert.equal(sent.length, 1);
  });
});
