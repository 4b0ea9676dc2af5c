/** Buffers a request body up to a limit, so that it can be validated and then forwarded intact. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../errors/problem.js';

/** True when the request announces a body (RFC 9112 §6.3). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads the whole body. Rejects with PAYLOAD_TOO_LARGE as soon as the declared length or the
 * bytes received exceed `limit` (without buffering the excess).
 *
 * A client that sent `Expect: 100-continue` is told to continue only here, once the request
 * was routed, authenticated, authorised and admitted by its limits: a refused client never
 * uploads its body (the server answers such requests itself only when told to; see server.ts).
 */
export function readBody(req: IncomingMessage, limit: number, res?: ServerResponse): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new GatewayError('PAYLOAD_TOO_LARGE', `body of ${declared} bytes exceeds the limit of ${limit} bytes`, { headers: { connection: 'close' } }));
  }
  if (res && req.headers.expect !== undefined && !res.headersSent) res.writeContinue();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(new GatewayError('PAYLOAD_TOO_LARGE', `body exceeds the limit of ${limit} bytes`, { headers: { connection: 'close' } }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
