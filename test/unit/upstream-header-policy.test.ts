/** Which client header names the upstream-header policy removes, per listener setting. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpstreamHeaderPolicy } from '../../src/gateway/edge/upstream-headers.js';
import { screenConnectionHeader } from '../../src/gateway/edge/connection-header.js';
import { GatewayError } from '../../src/errors/problem.js';

describe('upstream header policy', () => {
  const drop = new UpstreamHeaderPolicy();
  const forward = new UpstreamHeaderPolicy({ underscoreHeaders: 'forward', stripHeaders: ['X-Tenant-Role', 'x_internal_*'] });
  const cases: Array<{ name: string; header: string; drop: boolean; forward: boolean }> = [
    { name: 'gateway-set name', header: 'x-consumer-id', drop: true, forward: true },
    { name: 'gateway-set name with underscores', header: 'x_consumer_id', drop: true, forward: true },
    { name: 'mixed spelling', header: 'x-consumer_id', drop: true, forward: true },
    { name: 'prefix family', header: 'x-forwarded-prefix', drop: true, forward: true },
    { name: 'prefix family with underscores', header: 'x_auth_request_email', drop: true, forward: true },
    { name: 'method override', header: 'x-http-method-override', drop: true, forward: true },
    { name: 'hop-by-hop', header: 'keep-alive', drop: true, forward: true },
    { name: 'ordinary name', header: 'accept', drop: false, forward: false },
    { name: 'ordinary x- name', header: 'x-tenant', drop: false, forward: false },
    { name: 'ordinary name with an underscore', header: 'x_tenant', drop: true, forward: false },
    { name: 'configured name', header: 'x-tenant-role', drop: false, forward: true },
    { name: 'configured prefix, written with underscores', header: 'x-internal-debug', drop: false, forward: true },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.header} -> drop ${c.drop ? 'removed' : 'kept'}, forward ${c.forward ? 'removed' : 'kept'}`, () => {
      assert.equal(drop.isStripped(c.header), c.drop);
      assert.equal(forward.isStripped(c.header), c.forward);
    });
  }
});

describe('Connection header screening', () => {
  const cases: Array<{ name: string; connection: string; refused: boolean; removed: string[] }> = [
    { name: 'keep-alive', connection: 'keep-alive', refused: false, removed: [] },
    { name: 'a hop-by-hop extension', connection: 'Keep-Alive, X-Hop', refused: false, removed: ['x-hop'] },
    { name: 'a representation field', connection: 'content-type', refused: true, removed: [] },
    { name: 'a Content-* field not otherwise listed', connection: 'Content-Language', refused: true, removed: [] },
    { name: 'an identity field under an alias', connection: 'X_Forwarded_For', refused: true, removed: [] },
  ];
  for (const c of cases) {
    it(`${c.name}: Connection: ${c.connection}`, () => {
      const headers: Record<string, string> = { connection: c.connection, 'x-hop': '1', 'content-type': 'application/json' };
      if (c.refused) {
        assert.throws(() => screenConnectionHeader(headers), (error: unknown) => error instanceof GatewayError && error.code === 'REQUEST_MALFORMED');
        return;
      }
      screenConnectionHeader(headers);
      for (const name of c.removed) assert.equal(headers[name], undefined, name);
      assert.equal(headers['content-type'], 'application/json');
    });
  }
});
