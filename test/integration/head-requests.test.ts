/** HEAD on a path whose contract declares GET is answered like GET without a body (RFC 9110 §9.3.2), not 405. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

describe('HEAD requests', () => {
  let issuer: TestIssuer;
  let upstream: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    issuer = await createTestIssuer();
    // Answers like a real server: HEAD gets GET's headers and no body.
    upstream = await startUpstream((req, res) => {
      const body = JSON.stringify({ status: 'ok' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    // Response validation in report mode: this file tests routing; how a body-less HEAD answer
    // meets response validation is the proxy's concern.
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] }, responseValidation: 'report' }],
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('HEAD on a GET operation gets 200 with no body, and the upstream receives HEAD', async () => {
    const res = await rawRequest(gw.url, 'HEAD', '/shop/v1/public/status');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, '');
    assert.equal(upstream.received.at(-1)?.method, 'HEAD');
  });

  it("HEAD is checked like GET: the GET operation's scopes apply", async () => {
    const anonymous = await rawRequest(gw.url, 'HEAD', '/shop/v1/items');
    assert.equal(anonymous.status, 401);
    const reader = await issuer.token({ scope: 'items:read' });
    const allowed = await rawRequest(gw.url, 'HEAD', '/shop/v1/items', { headers: { authorization: `Bearer ${reader}` } });
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.text, '');
  });

  it('405 lists HEAD where GET exists', async () => {
    const res = await rawRequest(gw.url, 'PUT', '/shop/v1/public/status');
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
  });
});
