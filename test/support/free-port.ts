/** Loopback ports for tests that must write a port into a configuration before anything listens on it. */
import { createServer, type Server } from 'node:net';

/** A port that was free a moment ago (the system picked it for port 0, then it was released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Holds a loopback port (on `host`), as another program would, until `close`. */
export async function occupyPort(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
