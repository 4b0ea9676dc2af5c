/** Starts a real gateway for a test: writes contracts and a gateway.yaml to a temp folder, listens on a random port. */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { generateKeyPair, exportJWK, SignJWT, type JWK, type CryptoKey } from 'jose';
import { createLogger } from '../../src/observability/logger.js';
import { startGateway, type RunningGateway, type StartOptions } from '../../src/gateway/start-gateway.js';
import { assertNoLeaks, rememberSecret } from './log-leaks.js';

/** A signing key trusted by the test gateway as identity provider `test`. */
export interface TestIssuer {
  issuer: string;
  audience: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The gateway's `identityProviders[]` entry that trusts this issuer (provider id `test` unless given). */
  provider(id?: string): Record<string, unknown>;
  /** Mints a token with `client_id`, `scope` and optional overrides of the claims. */
  token(claims?: Record<string, unknown>, options?: { expiresIn?: string | number; kid?: string }): Promise<string>;
}

/** Creates an RS256 test issuer. */
export async function createTestIssuer(issuer = 'https://issuer.test', audience = 'shop-api'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    issuer,
    audience,
    kid,
    privateKey,
    publicJwk,
    provider(id = 'test') {
      return { id, issuer, jwks: { keys: [publicJwk] }, audiences: [audience], algorithms: ['RS256'] };
    },
    async token(claims = {}, options = {}) {
      return rememberSecret(await new SignJWT({ client_id: 'acme', scope: 'items:read', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(String(claims.client_id ?? 'acme'))
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(privateKey));
    },
  };
}

/** A running test gateway with its captured log lines. */
export interface TestGateway {
  url: string;
  /** The admin listener's URL (admin.enabled is true by default). */
  adminUrl: string | undefined;
  dir: string;
  running: RunningGateway;
  logs: Array<Record<string, unknown>>;
  /** The captured lines as written; `stop` fails when one holds a credential (log-leaks.ts). */
  lines: string[];
  /** Stops the gateway, then checks every captured log line for credentials (throws naming the leaking lines). */
  stop(): Promise<void>;
}

/** Starts a gateway. `contracts` maps `<api>/<version>` to a contract file to copy. */
export async function startTestGateway(options: {
  contracts: Record<string, string>;
  config: Record<string, unknown>;
  /** Start options beyond the defaults (no file watch). */
  start?: Pick<StartOptions, 'watch' | 'watchDebounceMs' | 'now' | 'tracing' | 'env'>;
  /** Data directory (default: `.accord` in the gateway's temp folder); two gateways given one share their key file. */
  dataDir?: string;
  /** Log level of the gateway (default info). */
  logLevel?: string;
}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-gw-'));
  for (const [key, file] of Object.entries(options.contracts)) {
    const [api, version] = key.split('/');
    mkdirSync(join(dir, 'contracts', api!), { recursive: true });
    copyFileSync(file, join(dir, 'contracts', api!, `${version}.yaml`));
  }
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), stringify({ version: 1, contractsDir: '../contracts', ...options.config }));
  const logs: Array<Record<string, unknown>> = [];
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        lines.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger({ level: options.logLevel ?? 'info', destination });
  const running = await startGateway({ configPath: join(dir, 'policies'), dataDir: options.dataDir ?? join(dir, '.accord'), logger, port: 0, adminPort: 0, watch: false, ...options.start });
  return {
    url: running.server.url,
    adminUrl: running.admin?.url,
    dir,
    running,
    logs,
    lines,
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
      assertNoLeaks(lines, 'the test gateway');
    },
  };
}

/**
 * The Prometheus text of a gateway, from its admin listener (`/metrics` is not on the data plane);
 * the config must list the issuer's provider (`test`) in admin.auth.providers.
 */
export async function scrapeMetrics(gw: TestGateway, issuer: TestIssuer): Promise<string> {
  if (!gw.adminUrl) throw new Error('the gateway runs no admin listener');
  const token = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
  const res = await fetch(`${gw.adminUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics on the admin listener answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}
