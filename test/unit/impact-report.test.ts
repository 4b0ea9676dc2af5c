/**
 * The impact join with an injected clock: real diffs of the bundled orders contract against
 * hand-written usage records of four consumers; evidence per check family, window edges,
 * overflow degradation, coverage, and the contract index's naming and body pointers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import { buildContractIndex } from '../../src/impact/contract-index.js';
import { impactReport, type ImpactChange, type ImpactReport } from '../../src/impact/impact-report.js';
import { parseWindowDays, windowEnding } from '../../src/impact/impact-window.js';
import type { FingerprintView, UsageRecordView, UsageReport } from '../../src/usage/usage-record.js';
import { NARROW_REASON, ORDERS_BASE_FILE, ORDERS_BASE_TEXT, REMOVE_RESPONSE_NOTE, REMOVE_STATUS_PARAMETER, REQUIRE_NOTE } from '../support/impact-proposals.js';
import { findingTargets, NOTES } from '../../src/impact/finding-targets.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const T = (day: string): string => `${day}T10:00:00.000Z`;

function record(consumer: string, operation: string, daily: Array<[string, number]>, statusClass: UsageRecordView['statusClass'] = '2xx'): UsageRecordView {
  return {
    consumer, api: 'orders', version: '1.0.0', major: 1, operation, statusClass,
    calls: daily.reduce((n, [, c]) => n + c, 0),
    firstSeen: T(daily[0]![0]), lastSeen: T(daily.at(-1)![0]),
    daily: daily.map(([day, count]) => ({ day, count })),
  };
}

function fingerprint(consumer: string, operation: string, examined: number, locations: Array<[string, number, string?]>, overflow = 0, enumValues: Array<[string, string, number, string?]> = []): FingerprintView {
  return {
    consumer, api: 'orders', major: 1, operation, firstSeen: T('2026-11-01'), lastSeen: T('2026-12-03'), requests: examined, examined, undeclaredQuery: 0, overflow,
    locations: locations.map(([loc, count, day]) => ({ in: loc.slice(0, loc.indexOf(':')) as 'query', name: loc.slice(loc.indexOf(':') + 1), count, lastSeen: T(day ?? '2026-12-03') })),
    enumValues: enumValues.map(([location, value, count, day]) => ({ location, value, count, lastSeen: T(day ?? '2026-12-03') })),
  };
}

/** acme filters by status and places orders without a note; globex places orders with a note and cancels; initech only reads; oldco called before the window. */
function usage(extra: { fingerprints?: FingerprintView[] } = {}): UsageReport {
  return {
    window: { since: '2026-09-05', until: '2026-12-03' },
    records: [
      record('acme', 'listOrders', [['2026-11-03', 100], ['2026-11-04', 2], ['2026-12-03', 3]]),
      record('acme', 'createOrder', [['2026-12-02', 4]]),
      record('globex', 'createOrder', [['2026-12-01', 6]]),
      record('globex', 'cancelOrder', [['2026-12-01', 2]]),
      record('hooli', 'cancelOrder', [['2026-12-02', 3]]),
      record('initech', 'listOrders', [['2026-12-03', 7]]),
      record('initech', 'getOrder', [['2026-12-03', 1]]),
      record('initech', 'getOrder', [['2026-12-03', 2]], '4xx'),
      record('oldco', 'listOrders', [['2026-11-03', 50]]),
      record('refused', 'getOrder', [['2026-12-03', 5]], '4xx'),
      { ...record('acme', 'listOrders', [['2026-12-03', 9]]), version: '2.0.0', major: 2 },
    ],
    fingerprints: extra.fingerprints ?? [
      fingerprint('acme', 'listOrders', 5, [['query:status', 3], ['query:limit', 5]], 0, [['query:status', 'confirmed', 2], ['query:status', 'shipped', 1]]),
      fingerprint('acme', 'createOrder', 4, [['body:', 4], ['body:/customerId', 4]]),
      fingerprint('globex', 'createOrder', 6, [['body:', 6], ['body:/note', 6], ['body:/lineItems/*/sku', 6]]),
      fingerprint('globex', 'cancelOrder', 2, [['body:', 2], ['body:/reason', 2]], 0, [['body:/reason', 'out-of-stock', 2]]),
      fingerprint('hooli', 'cancelOrder', 3, [['body:', 3], ['body:/reason', 3]], 0, [['body:/reason', 'other', 3]]),
      fingerprint('initech', 'listOrders', 7, [['query:limit', 7]]),
      fingerprint('initech', 'getOrder', 1, []),
      fingerprint('oldco', 'listOrders', 50, [['query:status', 50, '2026-11-03']]),
    ],
  };
}

function report(revisionText: string, options: { usage?: UsageReport; window?: number; now?: number } = {}): ImpactReport {
  const base = loadOpenApi(ORDERS_BASE_FILE);
  const revision = loadOpenApi('proposal.yaml', { text: revisionText, reader: () => { throw new Error('self-contained'); } });
  const findings = diffContracts(base, revision, { now: new Date(NOW) });
  return impactReport({
    api: 'orders', base: '1.0.0', revision: '1.1.0', findings, usage: options.usage ?? usage(), window: options.window ?? 30, now: options.now ?? NOW,
    consumers: [{ id: 'acme', contact: 'api@acme.example' }, { id: 'globex' }],
    operationIndex: buildContractIndex(base, revision),
  });
}

const evidence = (change: ImpactChange | undefined): Record<string, string> => Object.fromEntries((change?.consumers ?? []).map((c) => [c.id, c.evidence]));
const find = (r: ImpactReport, id: string, operation: string): ImpactChange | undefined => r.changes.find((c) => c.id === id && c.operation === operation);

describe('impact report (join, injected clock)', () => {
  it('removing a query parameter: field evidence for the consumer that sends it, none for the one that does not', () => {
    const r = report(REMOVE_STATUS_PARAMETER);
    const change = find(r, 'request-parameter-removed', 'GET /orders');
    assert.ok(change, JSON.stringify(r.changes.map((c) => c.id)));
    assert.equal(change.field, 'query:status');
    assert.equal(change.usageOperation, 'listOrders');
    assert.deepEqual(evidence(change), { acme: 'field', initech: 'none' });
    const acme = change.consumers[0]!;
    assert.deepEqual({ calls: acme.calls, contact: acme.contact, firstSeen: acme.firstSeen, lastSeen: acme.lastSeen }, { calls: 5, contact: 'api@acme.example', firstSeen: T('2026-11-03'), lastSeen: T('2026-12-03') });
    assert.match(acme.note ?? '', /sent query:status in 3 of 5/);
    // Possibly breaking (warn) by default: listed, but the report is not breaking.
    assert.equal(change.severity, 'warn');
    assert.equal(r.breaking, false);
  });

  it('a field becoming required hurts the callers that do not send it', () => {
    const r = report(REQUIRE_NOTE);
    const change = find(r, 'request-property-became-required', 'POST /orders');
    assert.ok(change);
    assert.equal(change.field, 'body:/note');
    assert.deepEqual(evidence(change), { acme: 'field', globex: 'none' });
    assert.match(change.consumers[0]!.note ?? '', /4 of 4 examined request\(s\) did not send body:\/note/);
    assert.equal(r.breaking, true);
  });

  it('a response property removed: operation evidence for every caller of each operation, with the note', () => {
    const r = report(REMOVE_RESPONSE_NOTE);
    const byOperation = Object.fromEntries(r.changes.filter((c) => c.id === 'response-optional-property-removed').map((c) => [c.operation, evidence(c)]));
    assert.deepEqual(byOperation, {
      'GET /orders': { acme: 'operation', initech: 'operation' },
      'POST /orders': { acme: 'operation', globex: 'operation' },
      // Only the callers that received a 2xx: `refused` (every call 4xx) never saw the Order, initech's 4xx do not count.
      'GET /orders/{orderId}': { initech: 'operation' },
      'POST /orders/{orderId}/cancellation': { globex: 'operation', hooli: 'operation' },
    });
    const get = find(r, 'response-optional-property-removed', 'GET /orders/{orderId}')!;
    assert.match(get.note ?? '', /not which response fields it reads/);
    assert.equal(get.statusClass, '2xx');
    assert.equal(get.consumers.find((c) => c.id === 'initech')!.calls, 1);
  });

  it('a change to a 4xx response names the callers that received a 4xx', () => {
    const base = loadOpenApi(ORDERS_BASE_FILE);
    const r = impactReport({
      api: 'orders', base: '1.0.0', revision: '1.1.0', usage: usage(), window: 30, now: NOW, consumers: [], operationIndex: buildContractIndex(base),
      findings: [{ id: 'response-property-removed', severity: 'error', message: 'a 404 property removed', source: 'diff', operation: 'GET /orders/{orderId}', location: { file: 'x.yaml', pointer: '/paths' }, affects: [{ operation: 'GET /orders/{orderId}', where: 'response 404 (application/problem+json)', path: 'detail' }] }],
    });
    assert.deepEqual(r.changes.map((c) => [c.statusClass, c.consumers.map((k) => [k.id, k.calls])]), [['4xx', [['initech', 2], ['refused', 5]]]]);
    assert.equal(r.breaking, true);
  });

  it('an enum value removed: field evidence for the consumer that sent that value, none for one that sends the field with other values', () => {
    const r = report(NARROW_REASON);
    const changes = r.changes.filter((c) => c.id === 'request-property-enum-value-removed');
    assert.deepEqual(changes.map((c) => [c.field, c.values, evidence(c)]), [
      ['body:/reason', ['out-of-stock'], { globex: 'field', hooli: 'none' }],
      ['body:/reason', ['fraud-suspected'], { globex: 'none', hooli: 'none' }],
    ]);
    assert.equal(changes[0]!.consumers[0]!.note, 'sent body:/reason = "out-of-stock" in 2 of 2 examined request(s)');
    assert.equal(changes[1]!.consumers.find((c) => c.id === 'hooli')!.note, 'sent body:/reason in 3 of 3 examined request(s), never "fraud-suspected"');
    assert.equal(r.breaking, true);
  });

  it('a query parameter enum value removed: the consumer that sent it, and not one that sent it only before the window', () => {
    const text = ORDERS_BASE_TEXT.replace('enum: [pending, confirmed, shipped, delivered, cancelled]', 'enum: [pending, confirmed, delivered, cancelled]');
    const fps = usage().fingerprints.map((f) => (f.consumer === 'oldco' ? fingerprint('oldco', 'listOrders', 50, [['query:status', 50, '2026-11-03']], 0, [['query:status', 'shipped', 50, '2026-11-03']]) : f));
    const r = report(text, { usage: { ...usage(), fingerprints: fps }, window: 30 });
    const change = find(r, 'request-parameter-enum-value-removed', 'GET /orders')!;
    assert.deepEqual([change.field, change.values, evidence(change)], ['query:status', ['shipped'], { acme: 'field', initech: 'none' }]);
    const wide = find(report(text, { usage: { ...usage(), fingerprints: fps }, window: 31 }), 'request-parameter-enum-value-removed', 'GET /orders')!;
    assert.deepEqual(evidence(wide), { acme: 'field', oldco: 'field', initech: 'none' });
    const overflowed = usage().fingerprints.map((f) => (f.consumer === 'initech' ? { ...f, overflow: 1 } : f));
    assert.deepEqual(evidence(find(report(text, { usage: { ...usage(), fingerprints: overflowed } }), 'request-parameter-enum-value-removed', 'GET /orders')), { acme: 'field', initech: 'operation' });
  });

  it('window edges: the first day counts, the day before does not; a consumer seen only before is not listed', () => {
    const change = find(report(REMOVE_STATUS_PARAMETER), 'request-parameter-removed', 'GET /orders')!;
    assert.equal(change.consumers.find((c) => c.id === 'acme')!.calls, 5, '2026-11-04 and 2026-12-03, not 2026-11-03');
    assert.equal(change.consumers.some((c) => c.id === 'oldco'), false);
    // One day later the window starts on 2026-11-05: acme's call of 2026-11-04 falls out.
    const later = find(report(REMOVE_STATUS_PARAMETER, { now: NOW + 86_400_000 }), 'request-parameter-removed', 'GET /orders')!;
    assert.equal(later.consumers.find((c) => c.id === 'acme')!.calls, 3);
    // A 31-day window reaches 2026-11-03: oldco's calls and its sending of status (that day) are in it.
    const wide = find(report(REMOVE_STATUS_PARAMETER, { window: 31 }), 'request-parameter-removed', 'GET /orders')!;
    assert.deepEqual(evidence(wide), { acme: 'field', oldco: 'field', initech: 'none' });
    assert.equal(wide.consumers.find((c) => c.id === 'acme')!.calls, 105);
  });

  it('a location last sent before the window is not field evidence', () => {
    const fps = usage().fingerprints.map((f) => (f.consumer === 'acme' && f.operation === 'listOrders' ? fingerprint('acme', 'listOrders', 5, [['query:status', 3, '2026-10-01']]) : f));
    const change = find(report(REMOVE_STATUS_PARAMETER, { usage: { ...usage(), fingerprints: fps } }), 'request-parameter-removed', 'GET /orders')!;
    assert.equal(change.consumers.find((c) => c.id === 'acme')!.evidence, 'none');
    assert.match(change.consumers.find((c) => c.id === 'acme')!.note ?? '', /before the window/);
  });

  it('overflow degrades what cannot be proven to operation evidence, and coverage says so', () => {
    const fps = usage().fingerprints.map((f) => (f.consumer === 'initech' || (f.consumer === 'acme' && f.operation === 'createOrder') ? { ...f, overflow: 2 } : f));
    const r = report(REMOVE_STATUS_PARAMETER, { usage: { ...usage(), fingerprints: fps } });
    assert.equal(r.coverage.overflowed, true);
    const change = find(r, 'request-parameter-removed', 'GET /orders')!;
    assert.deepEqual(evidence(change), { acme: 'field', initech: 'operation' });
    assert.match(change.consumers.find((c) => c.id === 'initech')!.note ?? '', /overflowed/);
    const required = find(report(REQUIRE_NOTE, { usage: { ...usage(), fingerprints: fps } }), 'request-property-became-required', 'POST /orders')!;
    assert.deepEqual(evidence(required), { acme: 'operation', globex: 'none' });
    assert.equal(report(REMOVE_STATUS_PARAMETER).coverage.overflowed, false);
  });

  it('without an examined request, evidence stays at the operation', () => {
    const r = report(REMOVE_STATUS_PARAMETER, { usage: { ...usage(), fingerprints: [] } });
    const change = find(r, 'request-parameter-removed', 'GET /orders')!;
    assert.deepEqual(evidence(change), { acme: 'operation', initech: 'operation' });
    assert.match(change.consumers[0]!.note ?? '', /no request of this consumer was examined/);
  });

  it('coverage: days from the first call in the window, calls of the base major only', () => {
    const r = report(REMOVE_STATUS_PARAMETER);
    assert.deepEqual(r.window, { since: '2026-11-04', until: '2026-12-03', days: 30 });
    assert.deepEqual(r.coverage, { days: 30, requests: 2 + 3 + 4 + 6 + 2 + 3 + 7 + 1 + 2 + 5, overflowed: false });
    const recent = report(REMOVE_STATUS_PARAMETER, { window: 3 });
    assert.deepEqual(recent.coverage, { days: 3, requests: 3 + 4 + 6 + 2 + 3 + 7 + 1 + 2 + 5, overflowed: false });
    const empty = report(REMOVE_STATUS_PARAMETER, { usage: { window: usage().window, records: [], fingerprints: [] } });
    assert.deepEqual(empty.coverage, { days: 0, requests: 0, overflowed: false });
    assert.deepEqual(find(empty, 'request-parameter-removed', 'GET /orders')!.consumers, []);
  });

  it('keeps a breaking change that names no operation, saying the records cannot attribute it', () => {
    const base = loadOpenApi(ORDERS_BASE_FILE);
    const r = impactReport({
      api: 'orders', base: '1.0.0', revision: '1.1.0', usage: usage(), window: 30, now: NOW, consumers: [], operationIndex: buildContractIndex(base),
      findings: [{ id: 'some-document-wide-check', severity: 'error', message: 'something document-wide changed', source: 'diff', location: { file: 'x.yaml', pointer: '/security' } }],
    });
    assert.equal(r.changes.length, 1);
    assert.deepEqual({ operation: r.changes[0]!.operation, note: r.changes[0]!.note, consumers: r.changes[0]!.consumers }, { operation: '', note: NOTES.noOperation, consumers: [] });
    assert.equal(r.breaking, false);
  });

  it('parses window durations', () => {
    assert.equal(parseWindowDays('30d'), 30);
    assert.equal(parseWindowDays('1d'), 1);
    for (const bad of ['0d', '30', 'd', '30 d', '367d', '1w', '-1d']) assert.equal(parseWindowDays(bad), undefined, bad);
    assert.deepEqual(windowEnding(Date.parse('2026-03-01T00:00:00Z'), 2), { since: '2026-02-28', until: '2026-03-01', days: 2 });
  });
});

describe('contract index', () => {
  const doc = {
    file: 'base.yaml',
    data: {
      paths: {
        '/pages': {
          parameters: [{ $ref: '#/components/parameters/Tenant' }],
          get: { operationId: 'listPages', parameters: [{ name: 'q', in: 'query' }] },
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } },
          },
        },
      },
      components: {
        parameters: { Tenant: { name: 'X-Tenant', in: 'header' } },
        schemas: {
          Page: { type: 'object', properties: { items: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Item' }] } }, 'a/b': { type: 'string' } } },
          Item: { type: 'object', properties: { items: { type: 'string' } } },
        },
      },
    },
  };
  const index = buildContractIndex(doc);

  it('names operations by operationId, else METHOD template', () => {
    assert.equal(index.usageName('GET /pages'), 'listPages');
    assert.equal(index.usageName('POST /pages'), 'POST /pages');
    assert.equal(index.usageName('DELETE /pages'), undefined);
  });

  it('finds the parameter a pointer lands in (through $ref, header names lower-case)', () => {
    assert.deepEqual(index.parameterAt({ file: 'base.yaml', pointer: '/paths/~1pages/get/parameters/0/schema' }), { in: 'query', name: 'q' });
    assert.deepEqual(index.parameterAt({ file: 'base.yaml', pointer: '/paths/~1pages/parameters/0' }), { in: 'header', name: 'x-tenant' });
    assert.equal(index.parameterAt({ file: 'other.yaml', pointer: '/paths/~1pages/get/parameters/0' }), undefined);
  });

  it('turns diff property paths into fingerprint pointers: items is an array step only where the schema is an array', () => {
    assert.equal(index.bodyPointer('POST /pages', 'items/items/items'), '/items/*/items');
    assert.equal(index.bodyPointer('POST /pages', ''), '');
    assert.equal(index.bodyPointer('POST /pages', 'unknown/items'), '/unknown/items');
  });
});

describe('finding targets: each request-side check family maps onto a fingerprint location', () => {
  const RESPONSE = /not which response fields it reads/;
  const cases: Array<{ name: string; from: string; to: string; id: string; operation: string; target: Record<string, unknown> | RegExp }> = [
    { name: 'a header parameter became required', from: '      required: false\n      description: Repeating', to: '      required: true\n      description: Repeating', id: 'request-parameter-became-required', operation: 'POST /orders', target: { kind: 'missing', location: 'header:idempotency-key' } },
    { name: 'a query parameter schema tightened', from: '        maximum: 100\n        default: 20', to: '        maximum: 50\n        default: 20', id: 'request-parameter-max-decreased', operation: 'GET /catalogue-items', target: { kind: 'sent', location: 'query:limit' } },
    { name: 'a query parameter enum narrowed', from: 'enum: [pending, confirmed, shipped, delivered, cancelled]', to: 'enum: [pending, confirmed, shipped, delivered]', id: 'request-parameter-enum-value-removed', operation: 'GET /orders', target: { kind: 'sent', location: 'query:status', values: ['cancelled'] } },
    { name: 'a body enum narrowed', from: 'enum: [customer-request, out-of-stock, fraud-suspected, other]', to: 'enum: [customer-request, out-of-stock, other]', id: 'request-property-enum-value-removed', operation: 'POST /orders/{orderId}/cancellation', target: { kind: 'sent', location: 'body:/reason', values: ['fraud-suspected'] } },
    { name: 'a body property newly restricted to an enum (the values sent were not recorded)', from: '        note:\n          type: string\n          maxLength: 500\n    Order:', to: '        note:\n          type: string\n          enum: [a, b]\n          maxLength: 500\n    Order:', id: 'request-property-became-enum', operation: 'POST /orders', target: { kind: 'sent', location: 'body:/note', capNote: NOTES.enum } },
    { name: 'a body property inside an array retyped', from: '        quantity:\n          type: integer\n          minimum: 1\n          maximum: 999', to: '        quantity:\n          type: string', id: 'request-property-type-changed', operation: 'POST /orders', target: { kind: 'sent', location: 'body:/lineItems/*/quantity' } },
    { name: 'the same change on the response side', from: '        quantity:\n          type: integer\n          minimum: 1\n          maximum: 999', to: '        quantity:\n          type: string', id: 'response-property-type-changed', operation: 'GET /orders', target: RESPONSE },
    { name: 'a body property removed', from: "            $ref: '#/components/schemas/LineItem'\n        note:\n          type: string\n          maxLength: 500\n    Order:", to: "            $ref: '#/components/schemas/LineItem'\n    Order:", id: 'request-property-removed', operation: 'POST /orders', target: { kind: 'sent', location: 'body:/note' } },
    { name: 'a new required query parameter', from: "        - $ref: '#/components/parameters/Cursor'\n        - name: status", to: "        - $ref: '#/components/parameters/Cursor'\n        - name: region\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: status", id: 'new-required-request-parameter', operation: 'GET /orders', target: { kind: 'missing', location: 'query:region', undeclared: true } },
    { name: 'a header parameter retyped', from: "      required: false\n      description: Repeating a request with the same key returns the first result instead of placing a second order.\n      schema:\n        type: string", to: "      required: false\n      description: Repeating a request with the same key returns the first result instead of placing a second order.\n      schema:\n        type: integer", id: 'request-parameter-type-changed', operation: 'POST /orders', target: { kind: 'sent', location: 'header:idempotency-key' } },
    { name: 'a query parameter became required', from: "    Cursor:\n      name: cursor\n      in: query\n      required: false", to: "    Cursor:\n      name: cursor\n      in: query\n      required: true", id: 'request-parameter-became-required', operation: 'GET /orders', target: { kind: 'missing', location: 'query:cursor' } },
    { name: 'a body property became required', from: 'required: [customerId, currency, lineItems]', to: 'required: [customerId, currency, lineItems, note]', id: 'request-property-became-required', operation: 'POST /orders', target: { kind: 'missing', location: 'body:/note' } },
    { name: 'a body property retyped at the top level', from: '        note:\n          type: string\n          maxLength: 500\n    Order:', to: '        note:\n          type: integer\n    Order:', id: 'request-property-type-changed', operation: 'POST /orders', target: { kind: 'sent', location: 'body:/note' } },
    { name: 'a parameter moved from query to header', from: '    Limit:\n      name: limit\n      in: query', to: '    Limit:\n      name: limit\n      in: header', id: 'request-parameter-in-changed', operation: 'GET /orders', target: { kind: 'sent', location: 'query:limit' } },
    { name: 'a path parameter tightened', from: "pattern: '^ord_[0-9A-Za-z]{16}$'\n      example", to: "pattern: '^ord_[0-9A-Za-z]{12}$'\n      example", id: 'request-parameter-pattern-changed', operation: 'GET /orders/{orderId}', target: { kind: 'operation', note: NOTES.pathParameter } },
    { name: 'an operation removed', from: '  /catalogue-items:', to: '  /catalogue-itemz:', id: 'api-path-removed-without-deprecation', operation: 'GET /catalogue-items', target: { kind: 'operation' } },
  ];
  const base = loadOpenApi(ORDERS_BASE_FILE);
  for (const c of cases) {
    it(c.name, () => {
      assert.ok(ORDERS_BASE_TEXT.includes(c.from), 'the edit applies');
      const revision = loadOpenApi('proposal.yaml', { text: ORDERS_BASE_TEXT.replace(c.from, () => c.to), reader: () => { throw new Error('self-contained'); } });
      const index = buildContractIndex(base, revision);
      const findings = diffContracts(base, revision, { now: new Date(NOW) });
      const targets = findings.filter((f) => f.id === c.id).flatMap((f) => findingTargets(f, index)).filter((t) => t.operation === c.operation);
      assert.equal(targets.length, 1, `${c.id} on ${c.operation}: ${findings.map((f) => f.id).join(', ')}`);
      if (c.target instanceof RegExp) {
        assert.equal(targets[0]!.target.kind, 'operation');
        assert.match((targets[0]!.target as { note?: string }).note ?? '', c.target);
      } else assert.deepEqual(targets[0]!.target, c.target);
    });
  }
});
