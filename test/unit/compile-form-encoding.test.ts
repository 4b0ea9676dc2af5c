// Form bodies read as their media type's `encoding` says: one scenario per style of
// application/x-www-form-urlencoded, and per part rule of multipart/form-data, with the exact object
// validated (or the exact violations).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract, type RequestCheck } from '../../src/contracts/compile/index.js';
import { fixture } from './fixtures/compile/compiled-fixtures.js';

const { operations } = compileContract(loadOpenApi(fixture('ambiguity-30.yaml')));
const form = operations.find((op) => op.operationId === 'postForm')!;
const upload = operations.find((op) => op.operationId === 'upload')!;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BOUNDARY = 'XyZ-boundary';

function invalid(...violations: Array<[string, string, string]>): RequestCheck {
  const detail = violations.length === 1
    ? `request does not match the contract: ${violations[0]![0]} ${violations[0]![1]}`
    : `request does not match the contract: ${violations[0]![0]} ${violations[0]![1]} (and ${violations.length - 1} more)`;
  return { ok: false, code: 'REQUEST_INVALID', violations: violations.map(([pointer, message, keyword]) => ({ pointer, message, keyword })), detail };
}

/** One multipart part: field name, optional Content-Type, content. */
type Part = [name: string, contentType: string | undefined, content: string | Buffer];

function multipart(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, type, content] of parts) {
    const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${name === 'file' ? '; filename="a.png"' : ''}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const formScenarios: Array<{ name: string; body: string; expect: RequestCheck }> = [
  { name: 'form, explode true (default): an array from repeated keys', body: 'tags=a&tags=b', expect: { ok: true, body: { tags: ['a', 'b'] } } },
  { name: 'form, explode false: an array from one comma-separated value, typed', body: 'ids=1,2,3', expect: { ok: true, body: { ids: [1, 2, 3] } } },
  { name: 'form, explode false: items typed and checked', body: 'ids=1,x', expect: invalid(['/body/ids/1', 'must be integer', 'type']) },
  { name: 'form, explode false: an object from name,value pairs', body: 'point=x,1,y,2', expect: { ok: true, body: { point: { x: 1, y: 2 } } } },
  { name: 'spaceDelimited: an array from one value', body: 'words=a%20b+c', expect: { ok: true, body: { words: ['a', 'b', 'c'] } } },
  { name: 'pipeDelimited: an array from one value', body: 'pipes=a|b', expect: { ok: true, body: { pipes: ['a', 'b'] } } },
  {
    name: 'deepObject: metadata[order_id] (Stripe\'s documented request) is a member of metadata',
    body: 'email=a@b.c&metadata[order_id]=6735',
    expect: { ok: true, body: { email: 'a@b.c', metadata: { order_id: '6735' } } },
  },
  { name: 'deepObject: percent-encoded brackets read the same', body: 'metadata%5Border_id%5D=6735', expect: { ok: true, body: { metadata: { order_id: '6735' } } } },
  { name: 'deepObject: a bare empty value the schema allows (unset all metadata)', body: 'metadata=', expect: { ok: true, body: { metadata: '' } } },
  {
    name: 'deepObject: nested objects to any depth, typed',
    body: 'address[line1]=1%20Road&address[geo][lat]=45.5&address[geo][lon]=7',
    expect: { ok: true, body: { address: { line1: '1 Road', geo: { lat: 45.5, lon: 7 } } } },
  },
  { name: 'deepObject: nested members checked against the schema', body: 'address[geo][alt]=1', expect: invalid(['/body/address/geo/alt', 'property "alt" is not allowed', 'additionalProperties']) },
  {
    name: 'deepObject: arrays of objects by index',
    body: 'lines[0][sku]=A&lines[0][qty]=2&lines[1][sku]=B',
    expect: { ok: true, body: { lines: [{ sku: 'A', qty: 2 }, { sku: 'B' }] } },
  },
  { name: 'deepObject: arrays by []', body: 'expand[]=customer&expand[]=invoice', expect: { ok: true, body: { expand: ['customer', 'invoice'] } } },
  { name: 'deepObject: an index that skips items is refused (no sparse arrays)', body: 'lines[5][sku]=A', expect: invalid(['/body/lines', 'index [5] skips items (next is [0])', 'style']) },
  {
    name: 'deepObject: a key nested deeper than 32 levels is refused, not built',
    body: `address${'[a]'.repeat(33)}=1`,
    expect: invalid(['/body/address', 'a key nests deeper than 32 levels', 'style']),
  },
  { name: 'deepObject: a value and members of the same field', body: 'address=x&address[line1]=y', expect: invalid(['/body/address', 'is sent both as a value and as members', 'duplicate'], ['/body/address', 'must be object', 'type']) },
  { name: 'deepObject: a member sent twice', body: 'metadata[a]=1&metadata[a]=2', expect: invalid(['/body/metadata/a', 'must appear once', 'duplicate']) },
  { name: 'brackets of a field that is not deepObject stay a literal, unknown name', body: 'email[x]=1', expect: invalid(['/body/email[x]', 'property "email[x]" is not allowed', 'additionalProperties']) },
  { name: 'a scalar sent twice is ambiguous', body: 'count=1&count=2', expect: invalid(['/body/count', 'must appear once', 'duplicate']) },
];

describe('application/x-www-form-urlencoded bodies read by their encoding', () => {
  for (const scenario of formScenarios) {
    it(scenario.name, () => {
      assert.deepStrictEqual(form.checkRequest({ pathParams: {}, rawQuery: '', headers: FORM, body: Buffer.from(scenario.body) }), scenario.expect);
    });
  }
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]);
const multipartScenarios: Array<{ name: string; parts: Part[]; contentType?: string; expect: RequestCheck }> = [
  {
    name: 'multipart: an object part without content-type is JSON (the default for objects); text parts typed; arrays from repeated parts',
    parts: [['meta', undefined, '{"title":"T","pages":3}'], ['count', undefined, '7'], ['tags', undefined, 'a'], ['tags', 'text/plain', 'b']],
    expect: { ok: true, body: { meta: { title: 'T', pages: 3 }, count: 7, tags: ['a', 'b'] } },
  },
  {
    name: 'multipart: a JSON part is validated against its property schema',
    parts: [['meta', 'application/json', '{"pages":"3"}']],
    expect: invalid(['/body/meta/title', 'missing required property "title"', 'required'], ['/body/meta/pages', 'must be integer', 'type']),
  },
  {
    name: 'multipart: per-part contentType of the encoding is enforced',
    parts: [['meta', undefined, '{"title":"T"}'], ['file', 'application/pdf', '%PDF']],
    expect: invalid(['/body/file', 'part content-type "application/pdf" is not accepted (allowed: image/png, image/jpeg)', 'mediaType']),
  },
  {
    name: 'multipart: a binary part of a declared type passes as bytes',
    parts: [['meta', undefined, '{"title":"T"}'], ['file', 'image/png', PNG]],
    expect: { ok: true, body: { meta: { title: 'T' }, file: PNG.toString('latin1') } },
  },
  {
    name: 'multipart: a part whose encoding says JSON is parsed as JSON and checked',
    parts: [['meta', undefined, '{"title":"T"}'], ['settings', undefined, '{"mode":"slow"}']],
    expect: invalid(['/body/settings/mode', 'must be one of: "fast", "safe"', 'enum']),
  },
  {
    name: 'multipart: text parts are checked like form fields',
    parts: [['meta', undefined, '{"title":"T"}'], ['count', undefined, '1e1'], ['tags', undefined, 'toolong']],
    expect: invalid(['/body/tags/0', 'must NOT have more than 5 characters', 'maxLength'], ['/body/count', 'must be integer', 'type']),
  },
];

describe('multipart/form-data bodies read part by part', () => {
  for (const scenario of multipartScenarios) {
    it(scenario.name, () => {
      const headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
      assert.deepStrictEqual(upload.checkRequest({ pathParams: {}, rawQuery: '', headers, body: multipart(scenario.parts) }), scenario.expect);
    });
  }

  const malformed: Array<{ name: string; contentType: string; body: Buffer | string; violation: [string, string] }> = [
    { name: 'multipart: no boundary parameter', contentType: 'multipart/form-data', body: 'x', violation: ['/headers/content-type', 'multipart body without a boundary parameter'] },
    { name: 'multipart: no close delimiter', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="meta"\r\n\r\n{}`, violation: ['/body', 'body is not valid multipart/form-data: the body has no close delimiter'] },
    {
      name: 'multipart: a JSON part with a repeated member',
      contentType: `multipart/form-data; boundary="${BOUNDARY}"`,
      body: multipart([['meta', 'application/json', '{"title":"a","title":"b"}']]),
      violation: ['/body', 'body is not valid multipart/form-data: part "meta" repeats the member /title'],
    },
  ];
  for (const scenario of malformed) {
    it(scenario.name, () => {
      const actual = upload.checkRequest({ pathParams: {}, rawQuery: '', headers: { 'content-type': scenario.contentType }, body: Buffer.from(scenario.body) });
      assert.deepStrictEqual(actual, {
        ok: false,
        code: 'REQUEST_MALFORMED',
        violations: [{ pointer: scenario.violation[0], message: scenario.violation[1], keyword: 'parse' }],
        detail: scenario.violation[0] === '/body' ? `request ${scenario.violation[1]}` : `request ${scenario.violation[0].slice(1)}: ${scenario.violation[1]}`,
      });
    });
  }
});
