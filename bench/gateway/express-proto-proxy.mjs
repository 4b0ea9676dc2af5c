/**
 * Accord's transport without its policies (a child process): the Express 5 + http-proxy-middleware
 * 3 baseline, with node:http's request and response classes born with Express's prototypes, as
 * `accord serve` builds them (dist/gateway/express-messages.js). Set beside the plain baseline, it
 * shows what that construction saves and, set beside Accord, what Accord's policies cost.
 * Usage: node express-proto-proxy.mjs <upstream-url>
 */
import http from 'node:http';
import { announceListening } from './child-processes.mjs';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { expressMessageClasses } from '../../dist/gateway/express-messages.js';

const target = process.argv[2];
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });

const app = express();
app.use(createProxyMiddleware({ target, agent }));
const classes = expressMessageClasses(app);
if (!classes) throw new Error('this Node has no plain-constructor node:http message classes');
const server = http.createServer({ ...classes }, app);
server.listen(0, '127.0.0.1', () => announceListening(server));
process.on('SIGTERM', () => process.exit(0));
