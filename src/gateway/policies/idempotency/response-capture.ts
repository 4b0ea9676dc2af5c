/**
 * A copy of the upstream response as the proxy relays it (status, end-to-end headers, body up to
 * a bound), for storing under an Idempotency-Key. The proxy feeds it only for requests that hold
 * a claim; every other request carries none and pays nothing.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { hopByHopOf } from '../../edge/upstream-headers.js';
import type { StoredResponse } from './stores/idempotency-store.js';

/** The capture of one response. */
export class ResponseCapture {
  /** The upstream's final status, once its answer arrived (relayed or not). */
  answered: number | undefined;
  /** The relayed status, once the response head went to the client. */
  status: number | undefined;
  private headers: Array<[string, string | string[]]> = [];
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set once the body outgrew `maxBytes`: it is relayed but not kept. */
  overflowed = false;

  constructor(private readonly maxBytes: number) {}

  /** The response head the client is about to receive: the upstream's status and end-to-end headers. */
  head(status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    const skip = hopByHopOf(headers);
    for (const name in headers) {
      const value = headers[name];
      // Content-Length is the stored body's own, set when it is replayed.
      if (value !== undefined && !skip.has(name) && name !== 'content-length') this.headers.push([name, value]);
    }
  }

  /** A piece of the relayed body. */
  chunk(data: Buffer): void {
    if (this.overflowed) return;
    this.size += data.length;
    if (this.size > this.maxBytes) {
      this.overflowed = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(data);
  }

  /** The response to store (call once the body is complete and within the bound). */
  response(): StoredResponse {
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    return { status: this.status!, headers: this.headers, body };
  }
}
