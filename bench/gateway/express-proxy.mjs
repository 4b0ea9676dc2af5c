/**
 * The plain baseline of the bench (a child process): Express 5 + http-proxy-middleware 3 with a
 * keep-alive agent (hpm's default opens a connection per request and costs twice as much).
 * Usage: node express-proxy.mjs <upstream-url>
 */
import http from 'node:http';
import { announceListening } from './child-processes.mjs';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

const target = process.argv[2];
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });

const app = express();
app.use(createProxyMiddleware({ target, agent }));
const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => process.exit(0));
