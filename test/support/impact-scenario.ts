/**
 * The impact scenario: the bundled orders contract served by a real gateway with the registry and
 * usage records on, three declared consumers, and scripted traffic: acme filters orders by the
 * optional `status` query parameter (and places one order without a note), globex places orders
 * with a `note`, initech only reads.
 */
import assert from 'node:assert/strict';
import type { TestGateway, TestIssuer } from './test-gateway.js';
import { send, settled, type ScriptedCall } from './usage-scenario.js';
import type { UpstreamBehaviour } from './upstream.js';

export const ORDER = { customerId: 'cus_4d9h2k7m1p3q', currency: 'EUR', lineItems: [{ sku: 'SKU-TEA-0042', quantity: 2, unitPrice: '4.50' }] };

/** 201 for a POST, else 200, with an empty object (response validation is off in the scenario). */
export const impactUpstream: UpstreamBehaviour = (req, res) => {
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'content-length': 2 });
  res.end('{}');
};

/** Gateway config: the orders API with registry (file) and usage (memory), three consumers, `orders-team` owns orders, `payments-team` payments. */
export function impactConfig(issuer: TestIssuer, upstreamUrl: string, usage: Record<string, unknown> = {}): Record<string, unknown> {
  const consumer = (id: string, contact?: string): Record<string, unknown> => ({ id, ...(contact ? { contact } : {}), identities: [{ provider: 'test', claim: `${id}-app` }], entitlements: [{ api: 'orders' }] });
  return {
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider('test')],
    consumers: [consumer('acme', 'api-team@acme.example'), consumer('globex', 'dev@globex.example'), consumer('initech')],
    apis: [{ id: 'orders', basePath: '/orders', versions: [{ version: '1.0.0', upstream: upstreamUrl }], auth: { providers: ['test'] }, responseValidation: 'off' }],
    usage: { enabled: true, flushIntervalSeconds: 3600, ...usage },
    registry: { enabled: true },
    admin: { auth: { providers: ['test'] }, owners: [{ api: 'orders', provider: 'test', subjects: ['orders-team'] }, { api: 'payments', provider: 'test', subjects: ['payments-team'] }] },
  };
}

const READ = 'orders:read';
const WRITE = 'orders:read orders:write';

export const IMPACT_SCRIPT: readonly ScriptedCall[] = [
  { name: 'acme filters by status', client: 'acme-app', scope: READ, method: 'GET', path: '/orders/v1/orders?status=confirmed&limit=5', status: 200 },
  { name: 'acme filters by status again', client: 'acme-app', scope: READ, method: 'GET', path: '/orders/v1/orders?status=shipped', status: 200 },
  { name: 'acme places an order without a note', client: 'acme-app', scope: WRITE, method: 'POST', path: '/orders/v1/orders', body: ORDER, status: 201 },
  { name: 'globex places an order with a note', client: 'globex-app', scope: WRITE, method: 'POST', path: '/orders/v1/orders', body: { ...ORDER, note: 'Leave at the back door' }, status: 201 },
  { name: 'globex places another', client: 'globex-app', scope: WRITE, method: 'POST', path: '/orders/v1/orders', body: { ...ORDER, note: 'Ring twice' }, status: 201 },
  { name: 'initech lists', client: 'initech-app', scope: READ, method: 'GET', path: '/orders/v1/orders?limit=10', status: 200 },
  { name: 'initech reads one', client: 'initech-app', scope: READ, method: 'GET', path: '/orders/v1/orders/ord_8f3k2m9x1q7w4z6p', status: 200 },
];

/** Sends the script and waits until every call was recorded. */
export async function playImpactScript(gw: TestGateway, issuer: TestIssuer, script: readonly ScriptedCall[] = IMPACT_SCRIPT): Promise<void> {
  for (const call of script) {
    const res = await send(gw.url, issuer, call);
    assert.equal(res.status, call.status, `${call.name}: ${res.text}`);
  }
  await settled(gw);
}
