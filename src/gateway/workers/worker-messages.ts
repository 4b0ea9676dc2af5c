/** The messages between the primary of `accord serve --workers N` and its workers over the cluster IPC channel. */
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

/**
 * A worker's data-plane listener is up (sent by the worker). The primary counts these rather than
 * cluster 'listening' events, which every server of a worker emits (the admin listener too).
 */
export interface ListeningMessage {
  readonly accord: 'listening';
  readonly url: string;
}

/** True for a listening message. */
export function isListeningMessage(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && (message as { accord?: unknown }).accord === 'listening' && typeof (message as { url?: unknown }).url === 'string';
}
