/** The messages the primary of `accord serve --workers N` sends its workers over the cluster IPC channel. */
import type { ReloadTrigger } from '../start-gateway.js';

/** Reload the configuration from disk (the primary saw a file change or got SIGHUP). */
export interface ReloadMessage {
  readonly accord: 'reload';
  readonly trigger: ReloadTrigger;
}

/** True for a reload message (the channel also carries the cluster limiter's messages). */
export function isReloadMessage(message: unknown): message is ReloadMessage {
  return typeof message === 'object' && message !== null && (message as { accord?: unknown }).accord === 'reload';
}
