/**
 * The bench upstream (a child process): answers every GET with the same small JSON list and
 * every POST, once its body is read, with a 201 and a small JSON item. Both bodies satisfy the
 * bench contract, so response validation passes. Usage: node upstream-server.mjs
 */
import http from 'node:http';
import { announceListening } from './child-processes.mjs';

const LIST = Buffer.from(JSON.stringify({ items: [{ id: 'a1', name: 'Widget', price: 3 }, { id: 'b2', name: 'Gadget', price: 5 }] }));
const CREATED = Buffer.from(JSON.stringify({ id: 'c3', name: 'Widget', price: 1234 }));

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST') {
    // Read the body (as a real service would) without parsing it: the upstream shares a core with the load generator.
    req.on('data', () => undefined);
    req.on('end', () => answer(res, 201, CREATED));
    return;
  }
  req.resume();
  answer(res, 200, LIST);
});
// Proxies keep idle pooled connections between runs; a long idle timeout avoids a close racing a reuse.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(0, '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => process.exit(0));
