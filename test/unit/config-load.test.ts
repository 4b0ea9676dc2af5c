/** Configuration loading: schema errors and cross-checks located by file, JSON pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { SourceError } from '../../src/contracts/source.js';

function configDir(yaml: string, contracts: string[] = ['orders/1.0.0']): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-cfg-'));
  mkdirSync(join(dir, 'policies'));
  for (const c of contracts) {
    const [api, version] = c.split('/');
    mkdirSync(join(dir, 'contracts', api!), { recursive: true });
    writeFileSync(join(dir, 'contracts', api!, `${version}.yaml`), 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n');
  }
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml);
  return join(dir, 'policies');
}

const VALID = `version: 1
apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
        upstream: http://127.0.0.1:4011
`;

function issuesOf(yaml: string, contracts?: string[]): Array<{ pointer: string; line: number | undefined; message: string; file: string }> {
  try {
    loadConfig(configDir(yaml, contracts));
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts a valid configuration and applies defaults', () => {
    const loaded = loadConfig(configDir(VALID));
    assert.equal(loaded.config.listen.port, 8080);
    assert.equal(loaded.config.listen.maxBodyBytes, 1048576);
    assert.equal(loaded.config.apis[0]!.responseValidation, 'report');
    assert.equal(loaded.config.apis[0]!.requestValidation, true);
    assert.equal(loaded.config.apis[0]!.upstream.timeoutMs, 30000);
    assert.deepEqual(loaded.config.listen.stripHeaders, []);
    assert.equal(loaded.config.listen.underscoreHeaders, 'drop');
    assert.equal(loaded.config.listen.forwardedHost, undefined);
    assert.equal(loaded.config.listen.forwardClientHost, false);
    assert.equal(loaded.config.listen.clientAddressHeader, 'x-forwarded-for');
    assert.equal(loaded.config.apis[0]!.ipRules, undefined);
    assert.ok(loaded.contractsDir.endsWith('contracts'));
  });

  it('accepts the bundled example configuration', () => {
    const loaded = loadConfig(join(import.meta.dirname, '..', '..', 'policies'));
    assert.equal(loaded.config.apis[0]!.id, 'orders');
  });

  const cases: Array<{ name: string; yaml: string; contracts?: string[]; expect: Array<{ pointer: string; line: number; message: RegExp }> }> = [
    {
      name: 'unknown property, with its line',
      yaml: VALID + '    retries: 3\n',
      expect: [{ pointer: '/apis/0/retries', line: 8, message: /unknown property "retries"/ }],
    },
    {
      name: 'wrong type',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  port: eighty\n'),
      expect: [{ pointer: '/listen/port', line: 3, message: /must be integer/ }],
    },
    {
      name: 'missing required field',
      yaml: 'version: 1\napis:\n  - id: orders\n    versions: [{version: 1.0.0, upstream: "http://127.0.0.1:1"}]\n',
      expect: [{ pointer: '/apis/0/basePath', line: 3, message: /required property "basePath"/ }],
    },
    {
      name: 'every error is listed, not only the first',
      yaml: 'version: 2\napis:\n  - id: Orders\n    basePath: orders\n    versions: []\n',
      expect: [
        { pointer: '/version', line: 1, message: /must be 1/ },
        { pointer: '/apis/0/id', line: 3, message: /must match pattern/ },
        { pointer: '/apis/0/basePath', line: 4, message: /must match pattern/ },
      ],
    },
    {
      name: 'no versions to serve without the registry',
      yaml: 'version: 1\napis:\n  - id: orders\n    basePath: /orders\n    versions: []\n    upstream: { url: "http://127.0.0.1:9" }\n',
      expect: [{ pointer: '/apis/0/versions', line: 5, message: /no versions to serve: list at least one in versions, or serve the registry/ }],
    },

    {
      name: 'lifecycle webhooks without usage records, and with a signing secret variable that is not set',
      yaml: VALID + 'registry:\n  enabled: true\n  webhooks:\n    enabled: true\n    secretEnv: ACCORD_TEST_UNSET_WEBHOOK_SECRET\n',
      expect: [
        { pointer: '/registry/webhooks/enabled', line: 11, message: /lifecycle webhooks need registry.enabled and usage.enabled/ },
        { pointer: '/registry/webhooks/secretEnv', line: 12, message: /set the environment variable ACCORD_TEST_UNSET_WEBHOOK_SECRET, or registry.webhooks.secretFile/ },
      ],
    },
    {
      name: 'a webhook secret file that does not exist; a reminder out of range; an in-use window beyond a year',
      yaml: VALID + 'usage:\n  enabled: true\nregistry:\n  enabled: true\n  lifecycle:\n    inUseWindowDays: 400\n  webhooks:\n    enabled: true\n    secretFile: ../secrets/webhook\n    sunsetReminderDays: [30, 0]\n',
      expect: [
        { pointer: '/registry/lifecycle/inUseWindowDays', line: 13, message: /must be <= 366/ },
        { pointer: '/registry/webhooks/sunsetReminderDays/1', line: 17, message: /must be >= 1/ },
      ],
    },
    {
      name: 'a webhook secret file that does not exist',
      yaml: VALID + 'usage:\n  enabled: true\nregistry:\n  enabled: true\n  webhooks:\n    enabled: true\n    secretFile: ../secrets/webhook\n',
      expect: [{ pointer: '/registry/webhooks/secretFile', line: 14, message: /secret file not found: .*secrets\/webhook/ }],
    },
    {
      name: 'bad enum value',
      yaml: VALID + '    responseValidation: strict\n',
      expect: [{ pointer: '/apis/0/responseValidation', line: 8, message: /must be one of "enforce", "report", "off"/ }],
    },
    {
      name: 'unknown identity provider',
      yaml: VALID + '    auth:\n      providers: [corp]\n',
      expect: [{ pointer: '/apis/0/auth/providers/0', line: 9, message: /unknown identity provider "corp"/ }],
    },
    {
      name: 'consumer identity at an unknown provider',
      yaml: VALID + 'consumers:\n  - id: acme\n    identities:\n      - provider: corp\n        claim: acme-app\n',
      expect: [{ pointer: '/consumers/0/identities/0/provider', line: 11, message: /unknown identity provider "corp"/ }],
    },
    {
      name: 'one identity claimed by two consumers, duplicate consumer id, entitlement to an unknown API',
      yaml:
        VALID.replace('apis:', 'devIssuer:\n  enabled: true\napis:') +
        'consumers:\n  - id: acme\n    identities: [{ provider: dev, claim: app }]\n  - id: globex\n    identities: [{ provider: dev, claim: app }]\n  - id: acme\n    entitlements: [{ api: billing }]\n',
      expect: [
        { pointer: '/consumers/1/identities/0', line: 14, message: /identity dev\/app already belongs to consumer "acme"/ },
        { pointer: '/consumers/2/id', line: 15, message: /duplicate consumer id "acme"/ },
        { pointer: '/consumers/2/entitlements/0/api', line: 16, message: /unknown API "billing"/ },
      ],
    },
    {
      name: 'consumer id with a slash (would collide with <provider>/<claim> ids)',
      yaml: VALID + 'consumers:\n  - id: dev/acme\n',
      expect: [{ pointer: '/consumers/0/id', line: 9, message: /must match pattern/ }],
    },
    {
      name: 'unknown admit mode',
      yaml: VALID + '    admit: everyone\n',
      expect: [{ pointer: '/apis/0/admit', line: 8, message: /must be one of "declared", "any-authenticated"/ }],
    },
    {
      name: 'identity provider with two key sources',
      yaml: VALID.replace('apis:', 'identityProviders:\n  - id: corp\n    issuer: https://idp.example\n    audiences: [orders]\n    discovery: true\n    jwksUri: https://idp.example/jwks\napis:'),
      expect: [{ pointer: '/identityProviders/0/discovery', line: 6, message: /exactly one|key source/ }],
    },
    {
      name: 'contract file missing',
      yaml: VALID.replace('1.0.0', '1.1.0'),
      expect: [{ pointer: '/apis/0/versions/0/version', line: 6, message: /contract not found/ }],
    },
    {
      name: 'no upstream',
      yaml: 'version: 1\napis:\n  - id: orders\n    basePath: /orders\n    versions:\n      - version: 1.0.0\n',
      expect: [{ pointer: '/apis/0/versions/0', line: 6, message: /no upstream/ }],
    },
    {
      name: 'overlapping base paths',
      yaml: VALID + '  - id: orders2\n    basePath: /orders/admin\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:1\n',
      contracts: ['orders/1.0.0', 'orders2/1.0.0'],
      expect: [{ pointer: '/apis/1/basePath', line: 9, message: /overlaps/ }],
    },
    {
      name: 'fixed X-Forwarded-Host together with the client host',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  forwardedHost: api.example.com\n  forwardClientHost: true\n'),
      expect: [{ pointer: '/listen/forwardClientHost', line: 4, message: /cannot be combined with forwardedHost/ }],
    },
    {
      name: 'X-Forwarded-Host that is not a host',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  forwardedHost: "evil.example, other"\n'),
      expect: [{ pointer: '/listen/forwardedHost', line: 3, message: /must match pattern/ }],
    },
    {
      name: 'stripped header name that is not a header name',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  stripHeaders: ["X-Ok", "X Bad"]\n'),
      expect: [{ pointer: '/listen/stripHeaders/1', line: 3, message: /must match pattern/ }],
    },
    {
      name: 'legacy rate-limit fields switch that is not a boolean',
      yaml: VALID + '    rateLimit:\n      points: 10\n      windowSeconds: 1\n      legacyHeaders: "yes"\n',
      expect: [{ pointer: '/apis/0/rateLimit/legacyHeaders', line: 11, message: /must be boolean/ }],
    },
    {
      name: 'underscore header handling that is neither drop nor forward',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  underscoreHeaders: allow\n'),
      expect: [{ pointer: '/listen/underscoreHeaders', line: 3, message: /must be one of "drop", "forward"/ }],
    },
    {
      name: 'development issuer id that cannot start a consumer id',
      yaml: VALID.replace('version: 1\n', 'version: 1\ndevIssuer:\n  id: dev/local\n'),
      expect: [{ pointer: '/devIssuer/id', line: 3, message: /must match pattern/ }],
    },
    {
      name: 'IP rules of an API: bad address, prefix too long, host bits set',
      yaml: VALID + '    ipRules:\n      allow:\n        - 10.0.0.0/8\n        - 10.0.0.300\n      deny:\n        - 2001:db8::/129\n        - 192.168.1.10/24\n',
      expect: [
        { pointer: '/apis/0/ipRules/allow/1', line: 11, message: /^"10\.0\.0\.300" is not an IPv4 or IPv6 address or CIDR$/ },
        { pointer: '/apis/0/ipRules/deny/0', line: 13, message: /^"2001:db8::\/129": the prefix \/129 is longer than an IPv6 address \(\/128\)$/ },
        { pointer: '/apis/0/ipRules/deny/1', line: 14, message: /^"192\.168\.1\.10\/24" has host bits set after its \/24 prefix: write the network 192\.168\.1\.0\/24/ },
      ],
    },
    {
      name: 'IP rules of a consumer',
      yaml: VALID + 'consumers:\n  - id: acme\n    ipRules:\n      allow: [10.0.0.1/8]\n',
      expect: [{ pointer: '/consumers/0/ipRules/allow/0', line: 11, message: /has host bits set after its \/8 prefix: write the network 10\.0\.0\.0\/8/ }],
    },
    {
      name: 'IP rules with an unknown list',
      yaml: VALID + '    ipRules:\n      block: [10.0.0.0/8]\n',
      expect: [{ pointer: '/apis/0/ipRules/block', line: 9, message: /unknown property "block"/ }],
    },
    {
      name: 'trusted proxy that is not an address',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  trustedProxies:\n    - 10.0.0.0/8\n    - proxy.internal\n'),
      expect: [{ pointer: '/listen/trustedProxies/1', line: 5, message: /"proxy\.internal" is not an IPv4 or IPv6 address or CIDR/ }],
    },
    {
      name: 'client address header that is neither x-forwarded-for nor forwarded',
      yaml: VALID.replace('version: 1\n', 'version: 1\nlisten:\n  clientAddressHeader: x-real-ip\n'),
      expect: [{ pointer: '/listen/clientAddressHeader', line: 3, message: /must be one of "x-forwarded-for", "forwarded"/ }],
    },
    {
      name: 'API key store that is neither file nor postgres',
      yaml: VALID.replace('version: 1\n', 'version: 1\napiKeys:\n  store: redis\n'),
      expect: [{ pointer: '/apiKeys/store', line: 3, message: /must be one of "file", "postgres"/ }],
    },
    {
      name: 'API key staleness bound below a second',
      yaml: VALID.replace('version: 1\n', 'version: 1\napiKeys:\n  maxStalenessMs: 10\n'),
      expect: [{ pointer: '/apiKeys/maxStalenessMs', line: 3, message: /must be >= 1000/ }],
    },
    {
      name: 'PostgreSQL key store schema that is not a plain identifier',
      yaml: VALID.replace('version: 1\n', 'version: 1\napiKeys:\n  store: postgres\n  postgres:\n    schema: "keys; drop"\n'),
      expect: [{ pointer: '/apiKeys/postgres/schema', line: 5, message: /must match pattern/ }],
    },
    {
      name: 'PostgreSQL key store whose connection variable is not set',
      yaml: VALID.replace('version: 1\n', 'version: 1\napiKeys:\n  store: postgres\n  postgres:\n    urlEnv: ACCORD_TEST_NEVER_SET_URL\n'),
      expect: [{ pointer: '/apiKeys/postgres/urlEnv', line: 5, message: /the store is postgres but the environment variable ACCORD_TEST_NEVER_SET_URL is not set/ }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml, c.contracts);
      const got = issues.map((i) => ({ pointer: i.pointer, line: i.line }));
      assert.deepEqual(got, c.expect.map((e) => ({ pointer: e.pointer, line: e.line })));
      c.expect.forEach((e, i) => assert.match(issues[i]!.message, e.message));
      for (const issue of issues) assert.ok(issue.file.endsWith(join('policies', 'gateway.yaml')));
    });
  }

  it('a head timeout longer than the request timeout is refused (node:http would throw at start)', () => {
    const issues = issuesOf(VALID.replace('version: 1\n', 'version: 1\nlisten:\n  headersTimeoutMs: 5000\n  requestTimeoutMs: 2000\n'));
    assert.deepEqual(issues.map((i) => [i.pointer, i.line, i.message]), [['/listen/headersTimeoutMs', 3, 'must not exceed listen.requestTimeoutMs (2000): the head is part of the request']]);
  });

  describe('upstream URLs are checked completely, with pointer and line', () => {
    const urlCases: Array<{ name: string; url: string; message: string | undefined }> = [
      { name: 'http with host and port', url: 'http://127.0.0.1:4011', message: undefined },
      { name: 'https without port', url: 'https://orders.internal', message: undefined },
      { name: 'a path prefix', url: 'http://orders.internal:8080/api', message: undefined },
      { name: 'an IPv6 host', url: 'http://[::1]:4011', message: undefined },
      { name: 'port above 65535', url: 'http://127.0.0.1:99999', message: 'port 99999 is not a port number from 1 to 65535' },
      { name: 'port 0', url: 'http://127.0.0.1:0', message: 'port 0 is not a port number from 1 to 65535' },
      { name: 'empty port', url: 'http://127.0.0.1:', message: 'port (empty) is not a port number from 1 to 65535' },
      { name: 'port that is not a number', url: 'http://127.0.0.1:http', message: 'port http is not a port number from 1 to 65535' },
      { name: 'another scheme', url: 'ftp://files.internal', message: 'scheme "ftp" is not supported (use http or https)' },
      { name: 'no scheme', url: '127.0.0.1:4011', message: '"127.0.0.1:4011" is not an absolute URL (expected http://host:port or https://host:port)' },
      { name: 'no host', url: 'http://:4011', message: 'the host is missing' },
      { name: 'credentials', url: 'http://user:secret@orders.internal', message: 'credentials in an upstream URL are refused: secrets never live in the configuration' },
      { name: 'a query', url: 'http://orders.internal/?debug=1', message: "an upstream URL cannot carry a query string; the query is the caller's" },
      { name: 'a fragment', url: 'http://orders.internal/#top', message: 'an upstream URL cannot carry a fragment' },
      { name: 'a host with spaces', url: 'http://orders internal', message: '"http://orders internal" is not a valid URL (host "orders internal")' },
    ];
    for (const c of urlCases) {
      it(`${c.name}: ${c.url}`, () => {
        const versionUrl = VALID.replace('http://127.0.0.1:4011', JSON.stringify(c.url));
        const sharedUrl = 'version: 1\napis:\n  - id: orders\n    basePath: /orders\n    versions: [{version: 1.0.0}]\n    upstream:\n      url: ' + JSON.stringify(c.url) + '\n';
        if (c.message === undefined) {
          assert.equal(loadConfig(configDir(versionUrl)).config.apis[0]!.versions[0]!.upstream, c.url);
          assert.equal(loadConfig(configDir(sharedUrl)).config.apis[0]!.upstream.url, c.url);
          return;
        }
        assert.deepEqual(issuesOf(versionUrl).map((i) => [i.pointer, i.line, i.message]), [['/apis/0/versions/0/upstream', 7, c.message]]);
        assert.deepEqual(issuesOf(sharedUrl).map((i) => [i.pointer, i.line, i.message]), [['/apis/0/upstream/url', 7, c.message]]);
      });
    }
  });

  it('reports a YAML syntax error with its line as unusable input', () => {
    const dir = configDir('version: 1\napis:\n  - id: x\n    id: y\n');
    assert.throws(() => loadConfig(dir), (error: unknown) => error instanceof SourceError && error.code === 'SOURCE_SYNTAX' && error.line === 4 && /duplicated mapping key/.test(error.message));
  });

  it('reports a missing file as unusable input', () => {
    assert.throws(() => loadConfig('/nonexistent/accord'), (error: unknown) => error instanceof SourceError && error.code === 'SOURCE_NOT_FOUND');
  });
});
