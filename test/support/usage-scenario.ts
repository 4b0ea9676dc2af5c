/** A scripted sequence of partner calls for usage-record tests, and a wait until the gateway recorded them. */
import { join } from 'node:path';
import type { TestGateway, TestIssuer } from './test-gateway.js';
import type { UpstreamBehaviour } from './upstream.js';
import { rawRequest, type RawResponse } from './raw-request.js';

export const ORDERS_V1 = join(import.meta.dirname, '..', 'integration', 'fixtures', 'usage', 'orders-1.0.0.yaml');

/** 500 for order `boom-*`, 201 for a POST, else 200. */
export const ordersUpstream: UpstreamBehaviour = (req, res) => {
  const status = req.url.includes('/boom') ? 500 : req.method === 'POST' ? 201 : 200;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': 2 });
  res.end('{}');
};

/** The gateway config of the scenario: two declared consumers of the orders API, usage on. */
export function ordersConfig(issuer: TestIssuer, upstreamUrl: string, usage: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider('test')],
    consumers: [
      { id: 'acme', identities: [{ provider: 'test', claim: 'acme-app' }], entitlements: [{ api: 'orders' }] },
      { id: 'globex', identities: [{ provider: 'test', claim: 'globex-app' }], entitlements: [{ api: 'orders' }] },
    ],
    apis: [{ id: 'orders', basePath: '/orders', versions: [{ version: '1.0.0', upstream: upstreamUrl }], auth: { providers: ['test'] }, responseValidation: 'off' }],
    usage: { enabled: true, flushIntervalSeconds: 3600, ...usage },
    admin: { auth: { providers: ['test'] } },
  };
}

/** One call of the script: who, what, and the status it must get. */
export interface ScriptedCall {
  name: string;
  client?: string;
  scope?: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
}

export const ORDER_BODY = { customer: { id: 'c-1' }, items: [{ sku: 'a-1', qty: 1 }, { sku: 'b-2', options: { colour: 'red' } }] };

/** The script: several consumers and operations, refusals (4xx) and an upstream failure (5xx). */
export const SCRIPT: readonly ScriptedCall[] = [
  { name: 'acme lists', client: 'acme-app', method: 'GET', path: '/orders/v1/orders?limit=5', status: 200 },
  { name: 'acme lists with a tenant', client: 'acme-app', method: 'GET', path: '/orders/v1/orders?limit=5', headers: { 'x-tenant': 't1' }, status: 200 },
  { name: 'acme lists again', client: 'acme-app', method: 'GET', path: '/orders/v1/orders?limit=7', status: 200 },
  { name: 'acme breaks the limit', client: 'acme-app', method: 'GET', path: '/orders/v1/orders?limit=500', status: 400 },
  { name: 'acme creates', client: 'acme-app', scope: 'orders:read orders:write', method: 'POST', path: '/orders/v1/orders', body: ORDER_BODY, status: 201 },
  { name: 'acme reads one', client: 'acme-app', method: 'GET', path: '/orders/v1/orders/ord-1', status: 200 },
  { name: 'globex filters', client: 'globex-app', method: 'GET', path: '/orders/v1/orders?status=open&filter[region]=eu&utm_source=mail', status: 200 },
  { name: 'globex meets an upstream failure', client: 'globex-app', method: 'GET', path: '/orders/v1/orders/boom-1', status: 500 },
  { name: 'globex creates without the scope', client: 'globex-app', method: 'POST', path: '/orders/v1/orders', body: ORDER_BODY, status: 403 },
  { name: 'nobody lists without a token', method: 'GET', path: '/orders/v1/orders', status: 401 },
];

/** Sends one scripted call. */
export async function send(url: string, issuer: TestIssuer, call: ScriptedCall): Promise<RawResponse> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.client) headers.authorization = `Bearer ${await issuer.token({ client_id: call.client, scope: call.scope ?? 'orders:read' })}`;
  let body: string | undefined;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return rawRequest(url, call.method, call.path, { headers, body });
}

/** Waits (bounded) until every response of the gateway closed, i.e. was recorded. */
export async function settled(gw: TestGateway): Promise<void> {
  for (let i = 0; i < 200 && gw.running.gateway.inFlight.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  if (gw.running.gateway.inFlight.size > 0) throw new Error('responses still in flight after 2 s');
}

/** An admin token of the test issuer. */
export function adminToken(issuer: TestIssuer, scope = 'accord:admin'): Promise<string> {
  return issuer.token({ client_id: 'ops', scope });
}
