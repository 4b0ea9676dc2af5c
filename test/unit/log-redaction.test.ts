/**
 * Credential masking of the logger: every sensitive class, in a field, in a message, in an error,
 * nested, at the levels an operator turns on for debugging; and linear time on hostile strings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { redactString, redactValue, REDACTED } from '../../src/observability/redaction.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiJhY21lIiwic2NvcGUiOiJpdGVtczpyZWFkIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const KEY_SECRET = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
const API_KEY = `acc_0123456789abcdef_${KEY_SECRET.slice(0, 43)}`;
const BASIC = Buffer.from('acme:s3cr3t-passw0rd').toString('base64');

describe('redactString: each sensitive class in free text', () => {
  const table: Array<{ name: string; input: string; expected: string }> = [
    { name: 'Authorization: Bearer', input: `Authorization: Bearer ${JWT}`, expected: `Authorization: Bearer ${REDACTED}` },
    { name: 'Bearer with an opaque token', input: 'bearer 8f1c2a9e77d0', expected: `bearer ${REDACTED}` },
    { name: 'Authorization: Basic', input: `authorization: Basic ${BASIC}`, expected: `authorization: Basic ${REDACTED}` },
    { name: 'Proxy-Authorization: Basic', input: `Proxy-Authorization: Basic ${BASIC}`, expected: `Proxy-Authorization: Basic ${REDACTED}` },
    { name: 'a JWT alone', input: `token was ${JWT}, refused`, expected: `token was ${REDACTED}, refused` },
    { name: 'an Accord API key keeps its public id', input: `key ${API_KEY} unknown`, expected: `key acc_0123456789abcdef_${REDACTED} unknown` },
    { name: 'access_token in a URL', input: `GET /shop/v1/items?limit=2&access_token=${JWT}`, expected: `GET /shop/v1/items?limit=2&access_token=${REDACTED}` },
    { name: 'id_token, refresh_token, client_secret, code', input: 'https://idp.test/cb?code=abc123&id_token=x.y.z&refresh_token=r1&client_secret=s2&state=ok', expected: `https://idp.test/cb?code=${REDACTED}&id_token=${REDACTED}&refresh_token=${REDACTED}&client_secret=${REDACTED}&state=ok` },
    { name: 'an API key in the query (name case-insensitive)', input: `/x?API_KEY=${API_KEY}`, expected: `/x?API_KEY=${REDACTED}` },
    { name: 'nothing sensitive is left alone', input: 'upstream http://127.0.0.1:9000/base answered 503 (limit=5&page=2)', expected: 'upstream http://127.0.0.1:9000/base answered 503 (limit=5&page=2)' },
  ];
  for (const row of table) {
    it(row.name, () => assert.equal(redactString(row.input), row.expected));
  }
});

describe('redactValue: credential-named keys, nesting, errors', () => {
  it('masks whole values under credential-named keys, any case or separator, and scans the rest', () => {
    const input = {
      headers: { Authorization: `Bearer ${JWT}`, 'proxy-authorization': `Basic ${BASIC}`, cookie: 'session=abc; theme=dark', 'set-cookie': ['sid=1; HttpOnly'], 'X-Api-Key': API_KEY, host: 'shop.test' },
      query: { access_token: 'opaque', client_secret: 'cs', page: '2' },
      nested: [{ password: 'hunter2', note: `saw ${API_KEY}` }],
      empty: { token: '' },
    };
    assert.deepEqual(redactValue(input), {
      headers: { Authorization: REDACTED, 'proxy-authorization': REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, 'X-Api-Key': REDACTED, host: 'shop.test' },
      query: { access_token: REDACTED, client_secret: REDACTED, page: '2' },
      nested: [{ password: REDACTED, note: `saw acc_0123456789abcdef_${REDACTED}` }],
      empty: { token: '' },
    });
  });

  it('turns an error into type, message, code and stack, each masked', () => {
    const error = Object.assign(new Error(`upstream refused Bearer ${JWT}`), { code: 'EPROTO' });
    const out = redactValue(error) as Record<string, string>;
    assert.equal(out.type, 'Error');
    assert.equal(out.message, `upstream refused Bearer ${REDACTED}`);
    assert.equal(out.code, 'EPROTO');
    assert.ok(!out.stack!.includes(JWT));
  });

  it('stops at a bounded depth', () => {
    let deep: Record<string, unknown> = { leaf: JWT };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    assert.ok(!JSON.stringify(redactValue(deep)).includes(JWT));
  });

  it('costs linear time on hostile strings (no backtracking across runs)', () => {
    // Each would be quadratic for a backtracking pattern; all of them together stay far under a second.
    const hostile = ['a'.repeat(16_000) + '=x', 'eyJ'.repeat(5000), 'eyJ.'.repeat(4000), `${'&'.repeat(8000)}=`, 'acc_'.repeat(4000), 'Bearer '.repeat(2000)];
    const started = process.hrtime.bigint();
    for (const text of hostile) redactString(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 1000, `took ${ms} ms`);
  });
});

describe('the logger masks every line but the access log, at every level', () => {
  for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) {
    it(`at ${level}`, () => {
      const lines: string[] = [];
      const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString('utf8')), done()) });
      const logger = createLogger({ level: 'trace', destination });
      const child = logger.child({ component: 'test' });
      child[level]({ headers: { authorization: `Basic ${BASIC}`, cookie: 'sid=topsecret' }, url: `/a?access_token=${JWT}`, err: new Error(`key ${API_KEY}`) }, `request with Bearer ${JWT}`);
      assert.equal(lines.length, 1);
      const line = lines[0]!;
      for (const secret of [JWT, BASIC, 'topsecret', KEY_SECRET.slice(0, 43)]) assert.ok(!line.includes(secret), `${secret} leaked in ${line}`);
      const parsed = JSON.parse(line) as { msg: string; headers: Record<string, string>; url: string };
      assert.equal(parsed.msg, `request with Bearer ${REDACTED}`);
      assert.deepEqual(parsed.headers, { authorization: REDACTED, cookie: REDACTED });
      assert.equal(parsed.url, `/a?access_token=${REDACTED}`);
    });
  }
});
