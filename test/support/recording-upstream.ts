/**
 * Test upstreams that see the wire: a real HTTP server that also records every byte each
 * connection received, and a raw TCP server that answers with scripted bytes (for hostile
 * upstreams that no HTTP library would produce).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/** One request as the upstream's HTTP parser read it. */
export interface ParsedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Index of the connection it arrived on. */
  connection: number;
}

/** A running recording upstream. */
export interface RecordingUpstream {
  url: string;
  /** Requests in the order the parser completed them. */
  requests: ParsedRequest[];
  /** The raw bytes each connection received, in order. */
  connections: Buffer[][];
  /** Everything each connection received, as latin1 text. */
  wire(): string[];
  /** Replaces the answer for the following requests. */
  respond(answer: (req: ParsedRequest, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

/** Answers 200 with a small JSON item, echoing the path. */
export function answerItem(req: ParsedRequest, res: ServerResponse): void {
  const body = JSON.stringify({ id: req.url, name: 'item', items: [] });
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Starts a keep-alive HTTP/1.1 upstream on 127.0.0.1 that records raw bytes and parsed requests. */
export async function startRecordingUpstream(answer: (req: ParsedRequest, res: ServerResponse) => void = answerItem): Promise<RecordingUpstream> {
  let current = answer;
  const requests: ParsedRequest[] = [];
  const connections: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed: ParsedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), connection: connectionIndex.get(req.socket) ?? -1 };
      requests.push(parsed);
      current(parsed, res);
    });
  });
  const connectionIndex = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const received: Buffer[] = [];
    connectionIndex.set(socket, connections.push(received) - 1);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections,
    wire: () => connections.map((chunks) => Buffer.concat(chunks).toString('latin1')),
    respond(next) {
      current = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A raw TCP upstream: `answer` gets each connection once the request head has arrived. */
export interface RawUpstream {
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

/**
 * Starts a TCP server that calls `answer(socket, head)` once per connection after the first
 * "\r\n\r\n". With `stopReading`, the connection reads nothing more after the head (its
 * buffers fill and the sender's writes stall).
 */
export async function startRawUpstream(answer: (socket: Socket, head: string) => void, options: { stopReading?: boolean } = {}): Promise<RawUpstream> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        answered = true;
        if (options.stopReading) socket.pause();
        answer(socket, head);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends bytes on a fresh connection and resolves with everything received until the peer closes or `idleMs` passes without data. */
export function sendRaw(baseUrl: string, bytes: string | Buffer, idleMs = 1500): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on('connect', () => {
      socket.write(bytes);
      arm();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      arm();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error) => (chunks.length > 0 ? finish() : reject(error)));
  });
}
