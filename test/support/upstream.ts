/** A real upstream HTTP server for tests: records what it received and answers as each test asks. */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the upstream saw it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/** How the upstream answers a request. */
export type UpstreamBehaviour = (req: ReceivedRequest, res: ServerResponse) => void;

/** A running test upstream. */
export interface TestUpstream {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Replaces the answer for the following requests. */
  respond(behaviour: UpstreamBehaviour): void;
  close(): Promise<void>;
}

/** Default behaviour: 200 with a JSON echo of what was received. */
export const echo: UpstreamBehaviour = (req, res) => {
  const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body.toString('utf8') });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/** Answers with a fixed status and JSON body. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): UpstreamBehaviour {
  return (_req, res) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
}

/** Starts an upstream on 127.0.0.1 (random port unless given). */
export async function startUpstream(behaviour: UpstreamBehaviour = echo, port = 0): Promise<TestUpstream> {
  let current = behaviour;
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
      received.push(r);
      current(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    received,
    respond(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
