import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressMessageClasses } from '../../src/gateway/express-messages.js';

/** Starts `handler` on a loopback port with the app's message classes; returns its URL and a stop function. */
async function serve(app: express.Express, handler: http.RequestListener): Promise<{ url: string; stop: () => Promise<void> }> {
  const classes = expressMessageClasses(app);
  assert.ok(classes, 'node:http message classes are plain constructors on this Node');
  const server = http.createServer({ ...classes }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('request and response classes born with the Express prototypes', () => {
  it('gives node:http messages the app prototypes before Express sees them, and they remain node:http messages', async () => {
    const app = express();
    const seen: Array<{ reqProto: boolean; resProto: boolean; reqIsMessage: boolean; resIsResponse: boolean; socket: boolean }> = [];
    const { url, stop } = await serve(app, (req, res) => {
      seen.push({
        reqProto: Object.getPrototypeOf(req) === app.request,
        resProto: Object.getPrototypeOf(res) === app.response,
        reqIsMessage: req instanceof http.IncomingMessage,
        resIsResponse: res instanceof http.ServerResponse,
        socket: req.socket !== undefined && res.req === req,
      });
      res.end('ok');
    });
    try {
      const answer = await fetch(`${url}/x`);
      assert.equal(await answer.text(), 'ok');
      assert.deepEqual(seen, [{ reqProto: true, resProto: true, reqIsMessage: true, resIsResponse: true, socket: true }]);
    } finally {
      await stop();
    }
  });

  it('leaves Express working as usual: routing, params, query, body, res.json and the final 404', async () => {
    const app = express();
    app.use(express.json());
    app.post('/items/:id', (req, res) => {
      res.status(201).json({ id: req.params.id, q: req.query.q, body: req.body as unknown, app: req.app === app });
    });
    const { url, stop } = await serve(app, app);
    try {
      const created = await fetch(`${url}/items/a1?q=z`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
      assert.equal(created.status, 201);
      assert.deepEqual(await created.json(), { id: 'a1', q: 'z', body: { n: 1 }, app: true });
      const missing = await fetch(`${url}/nothing`);
      assert.equal(missing.status, 404);
      await missing.arrayBuffer();
    } finally {
      await stop();
    }
  });

  it('keeps a streamed request body readable', async () => {
    const app = express();
    const { url, stop } = await serve(app, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.end(String(Buffer.concat(chunks).length)));
    });
    try {
      const body = Buffer.alloc(200_000, 'x');
      const answer = await fetch(`${url}/upload`, { method: 'PUT', body });
      assert.equal(await answer.text(), '200000');
    } finally {
      await stop();
    }
  });
});
