/**
 * Delivers lifecycle webhooks off the request path: each delivery is a signed JSON POST, retried
 * on a network error, a timeout or a non-2xx answer with exponential backoff and full jitter, up to
 * a bounded number of attempts. Deliveries run one after another per sender (lifecycle events are
 * rare); a bounded queue keeps a flood of events from growing memory.
 */
import type { Logger } from '../../observability/logger.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

/** One webhook to send. */
export interface WebhookDelivery {
  /** Stable for the same event and consumer (receivers dedupe by it; retries keep it). */
  readonly id: string;
  readonly type: string;
  readonly url: string;
  /** The JSON body, serialised once: every attempt signs and sends these bytes. */
  readonly body: string;
}

/** Delivery settings (`registry.webhooks`). */
export interface WebhookSenderOptions {
  readonly secret: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Most deliveries waiting; beyond it new ones are dropped (logged and counted). */
  readonly maxQueued?: number;
}

/** What the sender needs from its surroundings; tests pass their own clock, randomness and waits. */
export interface WebhookSenderDeps {
  readonly logger: Logger;
  /** Epoch ms (the signature's timestamp). */
  readonly now?: () => number;
  /** 0 <= x < 1 (the jitter). */
  readonly random?: () => number;
  /** Waits between attempts. */
  readonly wait?: (ms: number) => Promise<void>;
  readonly onAttemptFailure?: (type: string) => void;
  readonly onOutcome?: (type: string, outcome: 'delivered' | 'failed' | 'dropped') => void;
}

const DEFAULT_MAX_QUEUED = 10_000;

const realWait = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** Sends webhooks in the background. */
export class WebhookSender {
  private readonly queue: WebhookDelivery[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  /** Ends the current wait between attempts early (shutdown). */
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly options: WebhookSenderOptions,
    private readonly deps: WebhookSenderDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.wait = deps.wait ?? realWait;
  }

  /** Queues a delivery; returns at once. */
  send(delivery: WebhookDelivery): void {
    if (this.closed) return;
    if (this.queue.length >= (this.options.maxQueued ?? DEFAULT_MAX_QUEUED)) {
      this.deps.onOutcome?.(delivery.type, 'dropped');
      this.deps.logger.error({ webhook: delivery.type, id: delivery.id }, 'lifecycle webhook dropped: the delivery queue is full');
      return;
    }
    this.queue.push(delivery);
    if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
  }

  /** Resolves when every queued delivery has ended (delivered or given up). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Stops: no new deliveries, the queued ones are dropped (logged and counted), a wait for a retry
   * ends at once and that delivery gives up; the attempt under way (bounded by timeoutMs) ends.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const dropped of this.queue.splice(0)) {
      this.deps.onOutcome?.(dropped.type, 'dropped');
      this.deps.logger.warn({ webhook: dropped.type, id: dropped.id }, 'lifecycle webhook dropped at shutdown');
    }
    this.wakeUp?.();
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.deliver(next);
  }

  /** The wait before attempt `n + 1` (n >= 1): full jitter below base x 2^(n-1), capped. */
  backoff(n: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** Math.min(n - 1, 30));
    return Math.floor(this.random() * ceiling);
  }

  private async deliver(d: WebhookDelivery): Promise<void> {
    let last = '';
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (attempt > 1) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          this.wait(this.backoff(attempt - 1)).then(resolve, resolve);
        });
        this.wakeUp = undefined;
        if (this.closed) {
          this.deps.onOutcome?.(d.type, 'dropped');
          this.deps.logger.warn({ webhook: d.type, id: d.id, attempt, reason: last }, 'lifecycle webhook abandoned at shutdown before its next attempt');
          return;
        }
      }
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'accord-webhooks',
            'accord-event-id': d.id,
            'accord-event-type': d.type,
            [SIGNATURE_HEADER]: signWebhook(this.options.secret, d.body, Math.floor(this.now() / 1000)),
          },
          body: d.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        // The answer's body is not read: drop it so the connection is freed.
        await res.body?.cancel().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) {
          this.deps.onOutcome?.(d.type, 'delivered');
          this.deps.logger.info({ webhook: d.type, id: d.id, url: redact(d.url), attempt }, 'lifecycle webhook delivered');
          return;
        }
        last = `answered ${res.status}`;
      } catch (error) {
        last = (error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
      }
      this.deps.onAttemptFailure?.(d.type);
      this.deps.logger.warn({ webhook: d.type, id: d.id, url: redact(d.url), attempt, of: this.options.attempts, reason: last }, 'lifecycle webhook attempt failed');
    }
    this.deps.onOutcome?.(d.type, 'failed');
    this.deps.logger.error({ webhook: d.type, id: d.id, url: redact(d.url), attempts: this.options.attempts, reason: last }, 'lifecycle webhook not delivered: every attempt failed');
  }
}

/** A URL without credentials or query, for logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
