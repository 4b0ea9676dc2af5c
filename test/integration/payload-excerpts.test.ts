/**
 * Payload excerpts through a real gateway at debug level: each sensitive class of the contract
 * masked in the request and the response excerpt, credentials masked as on every line, the excerpt
 * cut at maxBytes, nothing logged at info level or for an API that does not enable it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { rememberSecret } from '../support/log-leaks.js';

const PEOPLE = join(import.meta.dirname, 'fixtures', 'excerpts', 'people-1.0.0.yaml');

const PERSON = {
  name: 'Ann Example',
  email: rememberSecret('ann.example@mail.test'),
  password: rememberSecret('correct-horse-battery'),
  phones: [rememberSecret('+441632960001'), rememberSecret('+441632960002')],
  taxId: rememberSecret('TAX-99887766'),
  address: { city: 'Leeds', street: rememberSecret('1 Hidden Lane') },
  notes: { home: rememberSecret('+441632960003') },
};

describe('payload excerpts', () => {
  let up: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    up = await startUpstream(json(201, { ...PERSON, id: 'p-1', backupEmail: rememberSecret('ann.backup@mail.test'), manager: { ...PERSON, id: 'p-0' } }));
    const api = (id: string, excerpts: Record<string, unknown>) => ({ id, basePath: `/${id}`, versions: [{ version: '1.0.0', upstream: up.url }], responseValidation: 'report', payloadExcerpts: excerpts });
    gw = await startTestGateway({
      contracts: { 'people/1.0.0': PEOPLE, 'short/1.0.0': PEOPLE, 'quiet/1.0.0': PEOPLE },
      config: { listen: { host: '127.0.0.1', port: 0 }, apis: [api('people', { enabled: true }), api('short', { enabled: true, maxBytes: 64 }), api('quiet', {})] },
      logLevel: 'debug',
    });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  const post = async (base: string, requestId: string): Promise<number> =>
    (await rawRequest(gw.url, 'POST', `/${base}/v1/people`, { headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(PERSON) })).status;
  const excerpts = (requestId: string): Array<Record<string, unknown>> => gw.logs.filter((l) => l.requestId === requestId && typeof l.msg === 'string' && l.msg.includes('payload excerpt'));

  it('masks every class in the request and the response excerpt', async () => {
    assert.equal(await post('people', 'excerpt-1'), 201);
    for (let i = 0; i < 40 && excerpts('excerpt-1').length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    const [request, response] = excerpts('excerpt-1');
    assert.deepEqual([request?.msg, request?.api, request?.operation], ['request payload excerpt', 'people', 'createPerson']);
    assert.deepEqual(JSON.parse(String(request?.excerpt)), {
      name: 'Ann Example',
      email: '[masked]',
      password: '[masked]',
      phones: ['[masked]', '[masked]'],
      taxId: '[masked]',
      address: { city: 'Leeds', street: '[masked]' },
      notes: { home: '[masked]' },
    });
    assert.deepEqual([response?.msg, response?.status], ['response payload excerpt', 201]);
    const body = JSON.parse(String(response?.excerpt)) as Record<string, unknown>;
    assert.deepEqual([body.id, body.name, body.email, body.backupEmail, body.manager, body.taxId], ['p-1', 'Ann Example', '[masked]', '[masked]', '[masked]', '[masked]']);
  });

  it('cuts an excerpt at maxBytes', async () => {
    assert.equal(await post('short', 'excerpt-2'), 201);
    for (let i = 0; i < 40 && excerpts('excerpt-2').length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    const request = excerpts('excerpt-2')[0]!;
    const cut = '{"name":"Ann Example","email":"[masked]","password":"[masked]","';
    assert.equal(cut.length, 64);
    assert.equal(request.excerpt, `${cut}…`);
  });

  it('logs nothing for an API that does not enable them', async () => {
    assert.equal(await post('quiet', 'excerpt-3'), 201);
    for (let i = 0; i < 40 && !gw.logs.some((l) => l.requestId === 'excerpt-3' && l.type === 'access'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(excerpts('excerpt-3'), []);
  });

  it('logs nothing at info level', async () => {
    gw.running.logLevel.set('info', 'test');
    assert.equal(await post('people', 'excerpt-4'), 201);
    for (let i = 0; i < 40 && !gw.logs.some((l) => l.requestId === 'excerpt-4' && l.type === 'access'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(excerpts('excerpt-4'), []);
  });

  it('no line holds a value the contract marks sensitive', () => {
    for (const value of [PERSON.email, PERSON.password, PERSON.taxId, PERSON.address.street, ...PERSON.phones, PERSON.notes.home, 'ann.backup@mail.test']) {
      assert.deepEqual(gw.lines.filter((l) => l.includes(value)), [], value);
    }
  });
});
