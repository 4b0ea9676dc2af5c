/**
 * The bench's OTLP/HTTP receiver (a child process): reads every export and answers 200 without
 * decoding it, so that the `accord-tracing` variant pays for making and exporting its spans, not
 * for a collector. Usage: node otlp-sink.mjs
 */
import http from 'node:http';
import { announceListening } from './child-processes.mjs';

const server = http.createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(0, '127.0.0.1', () => announceListening(server));
