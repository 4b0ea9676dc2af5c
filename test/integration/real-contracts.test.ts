/**
 * Published contracts served as written: each loads, a request from its own documentation passes
 * through the gateway to a real upstream that receives exactly the bytes sent, and `accord mock`
 * answers the same request. Plus the security schemes the gateway cannot enforce yet.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { startMockServer, type RunningMock } from '../../src/mock/mock-server.js';
import { ContractError } from '../../src/contracts/openapi-document.js';

const REAL = join(import.meta.dirname, 'fixtures', 'real');
const GATEWAY_FIXTURES = join(import.meta.dirname, 'fixtures', 'gateway');

interface DocumentedRequest {
  name: string;
  method: string;
  /** Path as the contract writes it (the gateway serves it under `<basePath>/v1`). */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface RealContract {
  name: string;
  api: string;
  file: string;
  /** Scopes of the test token; undefined when the contract asks for no token. */
  scopes?: string;
  requests: DocumentedRequest[];
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const contracts: RealContract[] = [
  {
    name: "Stripe's published contract (OpenAPI 3.0, 4 MB, 468 operations)",
    api: 'stripe',
    file: join(REAL, 'stripe', 'spec3.yaml'),
    scopes: 'none',
    requests: [
      { name: 'POST /v1/customers with a deepObject metadata field (from its docs)', method: 'POST', path: '/v1/customers', headers: FORM, body: 'email=a@b.c&metadata[order_id]=6735' },
      { name: 'GET /v1/customers with a deepObject range and an expand list', method: 'GET', path: '/v1/customers?limit=3&created[gt]=1680000000&expand[]=data.tax' },
    ],
  },
  {
    name: 'the USPTO Data Set API (OpenAPI 3.0 example of the OpenAPI Initiative)',
    api: 'uspto',
    file: join(REAL, 'oai', 'uspto.yaml'),
    requests: [
      { name: 'POST /{dataset}/{version}/records with a form body', method: 'POST', path: '/oa_citations/v1/records', headers: FORM, body: 'criteria=*:*&start=0&rows=100' },
      { name: 'GET / (the list of data sets)', method: 'GET', path: '/' },
    ],
  },
  {
    name: 'non-OAuth scopes (OpenAPI 3.1 example of the OpenAPI Initiative; no responses declared)',
    api: 'scopes',
    file: join(REAL, 'oai', 'non-oauth-scopes.yaml'),
    scopes: 'read:users public',
    requests: [{ name: 'GET /users with a bearer token carrying both scopes', method: 'GET', path: '/users' }],
  },
];

/** Joins a base path and a contract path without doubling the slash of `/`. */
function under(prefix: string, path: string): string {
  return path === '/' ? `${prefix}/` : `${prefix}${path}`;
}

describe('real published contracts', () => {
  let issuer: TestIssuer;
  let upstream: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    issuer = await createTestIssuer();
    upstream = await startUpstream((_req, res) => res.writeHead(204).end());
    const contractFiles: Record<string, string> = {};
    for (const contract of contracts) contractFiles[`${contract.api}/1.0.0`] = contract.file;
    gw = await startTestGateway({
      contracts: contractFiles,
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: contracts.map((contract) => ({
          id: contract.api,
          basePath: `/${contract.api}`,
          versions: [{ version: '1.0.0' }],
          upstream: { url: upstream.url },
          ...(contract.scopes ? { auth: { providers: ['test'] } } : {}),
          // The upstream answers 204 to everything: what is checked here is the request side.
          responseValidation: 'report',
        })),
      },
    });
  });
  after(async () => {
    try {
      await gw?.stop();
    } finally {
      await upstream.close();
    }
  });

  it("loads Stripe's contract enforcing both its schemes: basicAuth takes an Accord API key, bearerAuth a JWT", async () => {
    const warnings = gw.logs.filter((line) => typeof line.msg === 'string' && line.msg.includes('security scheme "basicAuth"'));
    assert.equal(warnings.length, 0);
    const res = await rawRequest(gw.url, 'GET', '/stripe/v1/v1/customers', { headers: { authorization: 'Basic c2tfdGVzdDo=' } });
    assert.equal(res.status, 401);
    assert.equal(res.json?.code, 'AUTH_KEY_INVALID');
    const none = await rawRequest(gw.url, 'GET', '/stripe/v1/v1/customers');
    assert.equal(none.status, 401);
    assert.equal(none.json?.code, 'AUTH_KEY_MISSING');
    assert.equal(none.headers['www-authenticate'], 'Basic realm="accord", charset="UTF-8", Bearer realm="accord"');
  });

  for (const contract of contracts) {
    for (const request of contract.requests) {
      it(`${contract.name}: ${request.name} reaches the upstream byte for byte`, async () => {
        const headers: Record<string, string> = { ...request.headers };
        if (contract.scopes) headers.authorization = `Bearer ${await issuer.token({ scope: contract.scopes })}`;
        const seen = upstream.received.length;
        const res = await rawRequest(gw.url, request.method, under(`/${contract.api}/v1`, request.path), { headers, body: request.body });
        assert.equal(res.status, 204, res.text);
        assert.equal(upstream.received.length, seen + 1);
        const received = upstream.received[seen]!;
        assert.equal(received.method, request.method);
        assert.equal(received.url, request.path);
        assert.equal(received.body.toString('utf8'), request.body ?? '');
      });
    }
  }

  for (const contract of contracts) {
    describe(`accord mock of ${contract.name}`, () => {
      let mock: RunningMock;
      before(async () => {
        mock = await startMockServer({ contractFile: contract.file, log: () => {} });
      });
      after(async () => {
        await mock.close();
      });
      for (const request of contract.requests) {
        it(`answers ${request.name} with a success`, async () => {
          const res = await rawRequest(mock.url, request.method, request.path, { headers: request.headers, body: request.body });
          assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${res.text.slice(0, 500)}`);
        });
      }
    });
  }
});

describe('security schemes the gateway does not enforce', () => {
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  before(async () => {
    upstream = await startUpstream((_req, res) => res.writeHead(204).end());
    issuer = await createTestIssuer();
  });
  after(async () => {
    await upstream.close();
  });

  const config = (api: string): Record<string, unknown> => ({
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider()],
    apis: [{ id: api, basePath: `/${api}`, versions: [{ version: '1.0.0' }], upstream: { url: upstream.url }, auth: { providers: ['test'] } }],
  });

  it('refuses at load an operation whose only alternative is http digest, naming the scheme, file, pointer and line', async () => {
    const file = join(GATEWAY_FIXTURES, 'digest-only-1.0.0.yaml');
    await assert.rejects(startTestGateway({ contracts: { 'accounts/1.0.0': file }, config: config('accounts') }), (error: unknown) => {
      assert.ok(error instanceof ContractError);
      assert.equal(error.code, 'CONTRACT_INVALID');
      assert.match(error.file, /accounts[\\/]1\.0\.0\.yaml$/);
      assert.equal(error.pointer, '/paths/~1accounts/get/security/0/digestAuth');
      assert.equal(error.line, 8);
      assert.equal(
        error.message,
        'operation GET /accounts: security scheme "digestAuth" (http digest) is not enforced by the gateway, and no alternative is (supported: oauth2, openIdConnect, http bearer, http basic, apiKey, mutualTLS)',
      );
      return true;
    });
  });

  it('serves an operation whose alternatives are http digest or bearer with the bearer one, and warns about digest', async () => {
    const gw = await startTestGateway({ contracts: { 'mixed/1.0.0': join(GATEWAY_FIXTURES, 'digest-or-bearer-1.0.0.yaml') }, config: config('mixed') });
    try {
      const warnings = gw.logs.filter((line) => typeof line.msg === 'string' && line.msg.includes('security scheme "digestAuth" (http digest) is not enforced'));
      assert.equal(warnings.length, 1);
      const none = await rawRequest(gw.url, 'GET', '/mixed/v1/accounts');
      assert.equal(none.status, 401);
      assert.equal(none.json?.code, 'AUTH_TOKEN_MISSING');
      const bearer = await rawRequest(gw.url, 'GET', '/mixed/v1/accounts', { headers: { authorization: `Bearer ${await issuer.token()}` } });
      assert.equal(bearer.status, 204, bearer.text);
    } finally {
      await gw.stop();
    }
  });

  it('serves basic and apiKey alternatives (once refused at load) as API keys', async () => {
    const gw = await startTestGateway({ contracts: { 'accounts/1.0.0': join(GATEWAY_FIXTURES, 'basic-only-1.0.0.yaml') }, config: config('accounts') });
    try {
      const none = await rawRequest(gw.url, 'GET', '/accounts/v1/accounts');
      assert.equal(none.status, 401);
      assert.equal(none.json?.code, 'AUTH_KEY_MISSING');
      assert.equal(none.headers['www-authenticate'], 'Basic realm="accord", charset="UTF-8", ApiKey realm="accord", in="header", name="X-Api-Key"');
      const basic = await rawRequest(gw.url, 'GET', '/accounts/v1/accounts', { headers: { authorization: 'Basic dTpw' } });
      assert.equal(basic.status, 401);
      assert.equal(basic.json?.code, 'AUTH_KEY_INVALID');
    } finally {
      await gw.stop();
    }
  });
});
