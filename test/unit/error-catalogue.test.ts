/** The error catalogue, the README's table of codes and the problem writer stay in step. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE, problemType, type ErrorCode } from '../../src/errors/codes.js';
import { GatewayError, toProblem } from '../../src/errors/problem.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** Rows of the README's error-code table: code(s) and status(es). */
function readmeCodes(): Map<string, number> {
  const section = readme.slice(readme.indexOf('### Error codes'));
  const rows = new Map<string, number>();
  for (const line of section.split('\n')) {
    const m = /^\| (`[A-Z_]+`(?: \/ `[A-Z_]+`)?) \| ([\d /]+) \|/.exec(line);
    if (!m) continue;
    const codes = [...m[1]!.matchAll(/`([A-Z_]+)`/g)].map((x) => x[1]!);
    const statuses = m[2]!.split('/').map((s) => Number(s.trim()));
    codes.forEach((code, i) => rows.set(code, statuses[i] ?? statuses[0]!));
  }
  return rows;
}

describe('error catalogue', () => {
  it('every catalogued code is documented in the README with its status, and nothing else is', () => {
    const documented = readmeCodes();
    const catalogued = new Map(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, e.status as number]));
    assert.deepEqual([...documented.entries()].sort(), [...catalogued.entries()].sort());
  });

  it('keeps the codes DESIGN.md fixes, with their statuses', () => {
    const fixed: Record<string, number> = {
      ROUTE_NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405, AUTH_TOKEN_MISSING: 401, AUTH_TOKEN_INVALID: 401, AUTH_TOKEN_EXPIRED: 401,
      AUTH_SCOPE_INSUFFICIENT: 403, CONSUMER_NOT_ENTITLED: 403, MTLS_CERT_REQUIRED: 401, MTLS_CERT_NOT_ALLOWED: 403, IP_NOT_ALLOWED: 403,
      RATE_LIMITED: 429, QUOTA_EXCEEDED: 429, REQUEST_INVALID: 400, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415,
      VERSION_RETIRED: 410, RESPONSE_INVALID: 502, UPSTREAM_UNAVAILABLE: 502, UPSTREAM_INVALID_RESPONSE: 502, UPSTREAM_TIMEOUT: 504,
    };
    for (const [code, status] of Object.entries(fixed)) assert.equal(ERROR_CATALOGUE[code as ErrorCode]?.status, status, code);
  });

  it('writes RFC 9457 documents with the stable code and the request id as instance', () => {
    const problem = toProblem(new GatewayError('REQUEST_INVALID', 'bad', { errors: [{ pointer: '/query/limit', message: 'must be >= 1' }] }), 'req-1');
    assert.deepEqual(problem, {
      type: 'https://accord.dev/problems/request-invalid',
      title: 'Request does not match the contract',
      status: 400,
      detail: 'bad',
      code: 'REQUEST_INVALID',
      instance: 'req-1',
      errors: [{ pointer: '/query/limit', message: 'must be >= 1' }],
    });
    assert.equal(problemType('UPSTREAM_TIMEOUT'), 'https://accord.dev/problems/upstream-timeout');
  });
});
