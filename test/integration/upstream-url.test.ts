/** An upstream URL with a path prefix: the prefix is put in front of the operation path. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

describe('upstream URL with a path prefix', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    const issuer = await createTestIssuer();
    upstream = await startUpstream(json(200, { status: 'ok' }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: `${upstream.url}/internal/shop` }], auth: { providers: ['test'] } }],
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('the upstream receives the prefix, then the operation path and query', async () => {
    const res = await rawRequest(gw.url, 'GET', '/shop/v1/public/status');
    assert.equal(res.status, 200, res.text);
    assert.equal(upstream.received.at(-1)?.url, '/internal/shop/public/status');
  });
});
