/**
 * Turns lifecycle changes into webhooks for the consumers they affect: `version.deprecated`,
 * `version.sunset-approaching` (each configured number of days before the sunset, once per version
 * and threshold) and `version.retired`, each POSTed to the consumers that called the version in the
 * in-use window and whose contact is an http(s) URL.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../observability/logger.js';
import type { VersionCaller, VersionRecord } from '../model.js';
import type { LifecycleEvent } from '../registry-service.js';
import type { RegistryStore } from '../store/registry-store.js';
import type { WebhookDelivery } from './webhook-sender.js';

/** The event types a receiver sees (`Accord-Event-Type`, and `type` in the body). */
export type WebhookEventType = 'version.deprecated' | 'version.sunset-approaching' | 'version.retired';

/** The JSON body of every lifecycle webhook. */
export interface WebhookEvent {
  /** Stable per event and consumer: a receiver dedupes by it (several instances may send one event). */
  id: string;
  type: WebhookEventType;
  createdAt: string;
  api: string;
  version: string;
  status: VersionRecord['status'];
  sunset?: string;
  successor?: string;
  /** `version.sunset-approaching`: the threshold reached (days before the sunset). */
  daysBeforeSunset?: number;
  /** `version.retired`: `manual` (an owner) or `sunset`. */
  trigger?: 'manual' | 'sunset';
  consumer: { id: string; contact: string };
  /** What this consumer did with the version in the window. */
  usage: { calls: number; lastSeen: string; operations: readonly string[] };
}

/** What the notifier reads and where it sends. */
export interface LifecycleNotifierDeps {
  readonly send: (delivery: WebhookDelivery) => void;
  /** Declared consumers and their contacts (follows reloads). */
  readonly contacts: () => ReadonlyArray<{ readonly id: string; readonly contact?: string }>;
  readonly callers: (api: string, version: string) => Promise<readonly VersionCaller[]>;
  readonly store: Pick<RegistryStore, 'list' | 'claimNotification'>;
  readonly reminderDays: readonly number[];
  readonly logger: Logger;
  readonly now?: () => number;
}

const DAY_MS = 86_400_000;

function eventId(parts: readonly string[]): string {
  return `evt_${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}`;
}

/** A contact a webhook can go to. */
function webhookUrl(contact: string | undefined): string | undefined {
  if (contact === undefined || !/^https?:\/\//i.test(contact)) return undefined;
  try {
    return new URL(contact).toString();
  } catch {
    return undefined;
  }
}

/** Builds and queues the webhooks of lifecycle changes. */
export class LifecycleNotifier {
  private readonly now: () => number;

  constructor(private readonly deps: LifecycleNotifierDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A deprecation or retirement happened: tell the consumers that called the version. */
  changed(event: LifecycleEvent): void {
    const r = event.record;
    if (event.kind === 'deprecated') this.notify('version.deprecated', r, event.consumers, [r.deprecatedAt ?? '']);
    else this.notify('version.retired', r, event.consumers, [r.retiredAt ?? ''], { trigger: event.trigger });
  }

  /**
   * Sends the sunset reminders that are due: for each deprecated version whose sunset is at most
   * the smallest threshold reached away, once (the store records it, across restarts and
   * instances); larger thresholds reached at the same time are recorded as sent, not sent.
   * Returns the number of versions reminded.
   */
  async remindSunsets(): Promise<number> {
    const now = this.now();
    const thresholds = [...this.deps.reminderDays].sort((a, b) => a - b);
    let reminded = 0;
    for (const v of await this.deps.store.list()) {
      if (v.status !== 'deprecated' || v.sunset === undefined) continue;
      const left = Date.parse(v.sunset) - now;
      if (left <= 0) continue;
      const due = thresholds.filter((d) => left <= d * DAY_MS);
      if (due.length === 0) continue;
      const at = new Date(now).toISOString();
      const claimed = await this.deps.store.claimNotification(v.api, v.version, `sunset-${due[0]}d`, at);
      for (const larger of due.slice(1)) await this.deps.store.claimNotification(v.api, v.version, `sunset-${larger}d`, at);
      if (!claimed) continue;
      this.notify('version.sunset-approaching', v, await this.deps.callers(v.api, v.version), [v.sunset, String(due[0])], { daysBeforeSunset: due[0]! });
      reminded++;
    }
    return reminded;
  }

  private notify(type: WebhookEventType, r: VersionRecord, consumers: readonly VersionCaller[], discriminator: readonly string[], extra: Partial<WebhookEvent> = {}): void {
    if (consumers.length === 0) return;
    const contacts = new Map(this.deps.contacts().map((c) => [c.id, c.contact]));
    for (const caller of consumers) {
      const contact = contacts.get(caller.consumer);
      const url = webhookUrl(contact);
      if (url === undefined) {
        this.deps.logger.info({ webhook: type, api: r.api, version: r.version, consumer: caller.consumer }, 'lifecycle webhook not sent: the consumer has no http(s) contact');
        continue;
      }
      const event: WebhookEvent = {
        id: eventId([type, r.api, r.version, ...discriminator, caller.consumer]),
        type,
        createdAt: new Date(this.now()).toISOString(),
        api: r.api,
        version: r.version,
        status: r.status,
        ...(r.sunset !== undefined ? { sunset: r.sunset } : {}),
        ...(r.successor !== undefined ? { successor: r.successor } : {}),
        ...extra,
        consumer: { id: caller.consumer, contact: contact! },
        usage: { calls: caller.calls, lastSeen: caller.lastSeen, operations: caller.operations },
      };
      this.deps.send({ id: event.id, type, url, body: JSON.stringify(event) });
    }
  }
}
