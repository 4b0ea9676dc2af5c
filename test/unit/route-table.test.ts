/** Route matching: the segment trie and the screening of request paths. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperationTrie } from '../../src/gateway/routing/route-table.js';
import { parseRequestPath } from '../../src/gateway/routing/request-path.js';
import { GatewayError } from '../../src/errors/problem.js';

function trie(): OperationTrie<string> {
  const t = new OperationTrie<string>();
  t.add('get', '/orders', 'list');
  t.add('post', '/orders', 'create');
  t.add('get', '/orders/{orderId}', 'get');
  t.add('get', '/orders/summary', 'summary');
  t.add('get', '/orders/{orderId}/lines/{lineNo}', 'line');
  t.add('get', '/files/{name}.{ext}', 'file');
  t.add('head', '/files/{name}.{ext}', 'file-head');
  t.add('post', '/commands', 'command');
  return t;
}

describe('OperationTrie', () => {
  const cases: Array<{ name: string; method: string; path: string; route?: string; params?: Record<string, string>; code?: string; allow?: string }> = [
    { name: 'literal', method: 'GET', path: '/orders', route: 'list', params: {} },
    { name: 'method', method: 'POST', path: '/orders', route: 'create', params: {} },
    { name: 'parameter', method: 'GET', path: '/orders/o-1', route: 'get', params: { orderId: 'o-1' } },
    { name: 'literal beats parameter', method: 'GET', path: '/orders/summary', route: 'summary', params: {} },
    { name: 'nested parameters', method: 'GET', path: '/orders/o-1/lines/3', route: 'line', params: { orderId: 'o-1', lineNo: '3' } },
    { name: 'parameters stay percent-encoded for the validator', method: 'GET', path: '/orders/a%2Cb', route: 'get', params: { orderId: 'a%2Cb' } },
    { name: 'literal segments match decoded', method: 'GET', path: '/%6Frders', route: 'list', params: {} },
    { name: 'partial-segment parameters', method: 'GET', path: '/files/report.pdf', route: 'file', params: { name: 'report', ext: 'pdf' } },
    { name: 'no match', method: 'GET', path: '/customers', code: 'ROUTE_NOT_FOUND' },
    { name: 'too deep', method: 'GET', path: '/orders/o-1/lines', code: 'ROUTE_NOT_FOUND' },
    { name: 'empty segment never binds a parameter', method: 'GET', path: '/orders//lines/3', code: 'ROUTE_NOT_FOUND' },
    { name: 'trailing slash', method: 'GET', path: '/orders/', code: 'ROUTE_NOT_FOUND' },
    { name: 'method not allowed lists the methods, HEAD included where GET exists', method: 'DELETE', path: '/orders', code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD, POST' },
    { name: 'HEAD falls back to the GET operation', method: 'HEAD', path: '/orders/o-1', route: 'get', params: { orderId: 'o-1' } },
    { name: 'a declared HEAD operation wins over GET', method: 'HEAD', path: '/files/report.pdf', route: 'file-head', params: { name: 'report', ext: 'pdf' } },
    { name: 'a declared HEAD is listed once', method: 'PUT', path: '/files/report.pdf', code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD' },
    { name: 'HEAD without a GET operation is not allowed', method: 'HEAD', path: '/commands', code: 'METHOD_NOT_ALLOWED', allow: 'POST' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { segments, rawSegments } = parseRequestPath(c.path);
      if (c.code) {
        assert.throws(() => trie().match(c.method, segments, rawSegments, 0), (e: unknown) => e instanceof GatewayError && e.code === c.code && (c.allow === undefined || e.headers.allow === c.allow));
      } else {
        const m = trie().match(c.method, segments, rawSegments, 0);
        assert.equal(m.route, c.route);
        assert.deepEqual(m.params, c.params);
      }
    });
  }
  it('refuses a duplicate route at build time', () => {
    const t = trie();
    assert.throws(() => t.add('GET', '/orders', 'again'), TypeError);
  });
});

describe('parseRequestPath', () => {
  it('splits path and query and decodes segments', () => {
    const p = parseRequestPath('/a/b%20c?x=1&y=2');
    assert.deepEqual(p.segments, ['a', 'b c']);
    assert.deepEqual(p.rawSegments, ['a', 'b%20c']);
    assert.equal(p.rawQuery, 'x=1&y=2');
  });
  const refused = ['/a/../b', '/a/./b', '/a/%2e%2e/b', '/a/%2E/b', '/a/.%2e', '/a%2fb', '/a%5Cb', '/a\\b', '/a;b', '/a%00', '/a/%zz', 'http://host/a', '*'];
  for (const path of refused) {
    it(`refuses ${JSON.stringify(path)} with REQUEST_MALFORMED`, () => {
      assert.throws(() => parseRequestPath(path), (e: unknown) => e instanceof GatewayError && e.code === 'REQUEST_MALFORMED');
    });
  }
});

describe('API prefixes and the operation path sent upstream', () => {
  it('the longest registered prefix wins and the rest of the raw path goes upstream', async () => {
    const { PrefixTable } = await import('../../src/gateway/routing/route-table.js');
    const { rawPathAfter } = await import('../../src/gateway/routing/request-path.js');
    const table = new PrefixTable<string>();
    table.add('/shop/v1', 'shop-1');
    table.add('/shop/v1/admin/v2', 'admin-2');
    const cases: Array<[string, string | undefined, string]> = [
      ['/shop/v1/items', 'shop-1', '/items'],
      ['/shop/v1', 'shop-1', '/'],
      ['/shop/v1/', 'shop-1', '/'],
      ['/shop/v1/a%20b/c', 'shop-1', '/a%20b/c'],
      ['/shop/v1/admin/v2/users', 'admin-2', '/users'],
      ['/shop/v2/items', undefined, ''],
      ['/shop', undefined, ''],
    ];
    for (const [url, expected, upstream] of cases) {
      const path = parseRequestPath(url);
      const found = table.match(path);
      assert.equal(found?.value, expected, url);
      if (found) assert.equal(rawPathAfter(path, found.depth), upstream, url);
    }
    assert.throws(() => table.add('/shop/v1', 'again'), /duplicate prefix/);
  });
});
