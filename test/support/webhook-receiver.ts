/** A webhook receiver on loopback that verifies each delivery's signature and answers by a script per path. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/registry/webhooks/webhook-signature.js';

/** One delivery as received. */
export interface ReceivedWebhook {
  path: string;
  eventId: string;
  eventType: string;
  /** Why the signature did not verify, or undefined when it did. */
  signatureProblem: string | undefined;
  body: Record<string, unknown>;
  /** The status the receiver answered. */
  answered: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** `statuses[path]`: the statuses to answer, in turn (then 200). */
export async function startWebhookReceiver(secret: string, statuses: Record<string, number[]> = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const turns = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const turn = turns.get(path) ?? 0;
      turns.set(path, turn + 1);
      const status = statuses[path]?.[turn] ?? 200;
      received.push({
        path,
        eventId: String(req.headers['accord-event-id']),
        eventType: String(req.headers['accord-event-type']),
        signatureProblem: verifyWebhook(secret, raw, req.headers['accord-signature'] as string | undefined, Math.floor(Date.now() / 1000)),
        body: JSON.parse(raw) as Record<string, unknown>,
        answered: status,
      });
      res.writeHead(status, { 'content-length': 0 });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
