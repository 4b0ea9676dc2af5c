/**
 * A real admin listener on loopback over a registry store, trusting a local test issuer, with
 * `orders` owned by the subject `orders-team` and `payments` by `payments-team`.
 */
import { pino } from 'pino';
import { startAdminServer, type RunningAdminServer } from '../../src/admin/server.js';
import { createJwtAuthenticator } from '../../src/gateway/policies/jwt-auth/index.js';
import { loadRuleset } from '../../src/governance/lint/index.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import type { RegistryStore } from '../../src/registry/store/registry-store.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTestIssuer, type TestIssuer } from './test-gateway.js';
import { rawRequest, type RawResponse } from './raw-request.js';

/** A running admin listener with tokens of each kind of caller. */
export interface AdminRegistryFixture {
  admin: RunningAdminServer;
  issuer: TestIssuer;
  registry: RegistryService;
  tokens: { admin: string; owner: string; otherOwner: string; reader: string };
  /** Sends a request; `token` defaults to the admin's. */
  call(method: string, path: string, options?: { token?: string | null; body?: string; contentType?: string; accept?: string; headers?: Record<string, string> }): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Starts the listener over `store` (closed by `close`). */
export async function startAdminRegistry(store: RegistryStore, options: { maxDocumentBytes?: number; withRegistry?: boolean } = {}): Promise<AdminRegistryFixture> {
  const logger = pino({ level: 'silent' });
  const issuer = await createTestIssuer('https://issuer.test', 'accord');
  const authenticator = createJwtAuthenticator([issuer.provider('test') as never], { logger });
  // Wired as the gateway's registry runtime wires it, so that registry events show in /metrics.
  const metrics = createMetrics({ processMetrics: false });
  const registry = new RegistryService(store, await loadRuleset(), undefined, undefined, (action, outcome) => metrics.registryEvents.inc({ action, outcome }));
  const owners = [
    { api: 'orders', provider: 'test', subjects: ['orders-team'] },
    { api: 'payments', provider: 'test', subjects: ['payments-team'] },
  ];
  const admin = await startAdminServer({
    host: '127.0.0.1',
    port: 0,
    auth: { authenticator: () => authenticator, providers: () => ['test'], scope: () => 'accord:admin', owners: () => owners },
    deps: {
      logger,
      usage: undefined,
      registry: options.withRegistry === false ? undefined : registry,
      metrics,
      maxDocumentBytes: options.maxDocumentBytes !== undefined ? () => options.maxDocumentBytes! : undefined,
    },
  });
  const tokens = {
    admin: await issuer.token({ client_id: 'ops', scope: 'accord:admin' }),
    owner: await issuer.token({ client_id: 'orders-team', scope: 'orders:read' }),
    otherOwner: await issuer.token({ client_id: 'payments-team', scope: '' }),
    reader: await issuer.token({ client_id: 'someone', scope: 'orders:read' }),
  };
  return {
    admin,
    issuer,
    registry,
    tokens,
    call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const token = o.token === undefined ? tokens.admin : o.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (o.contentType) headers['content-type'] = o.contentType;
      if (o.accept) headers.accept = o.accept;
      return rawRequest(admin.url, method, path, { headers, body: o.body });
    },
    async close() {
      await admin.close(0);
      authenticator.close();
      await store.close();
    },
  };
}
