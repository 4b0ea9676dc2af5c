/**
 * Payload excerpts: the sensitive pointers a contract marks, found at compile (every class, through
 * `$ref`, `allOf`, arrays, additional properties and a recursive schema), and masking by them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract } from '../../src/contracts/compile/index.js';
import { SensitivePointers, excerptOf, MASKED } from '../../src/observability/payload-excerpts.js';

const FIXTURE = join(import.meta.dirname, '..', 'integration', 'fixtures', 'excerpts', 'people-1.0.0.yaml');

describe('sensitive fields found at compile', () => {
  const doc = (): ReturnType<typeof loadOpenApi> => loadOpenApi(FIXTURE, { text: readFileSync(FIXTURE, 'utf8') });
  const op = compileContract(doc(), { sensitiveFields: true }).operations[0]!;
  it('are not looked for unless asked (no cost for contracts without payload excerpts)', () => {
    assert.equal(compileContract(doc()).operations[0]!.sensitiveFields, undefined);
  });
  it('the request body: each class, nested, in arrays and additional properties', () => {
    assert.deepEqual(op.sensitiveFields?.request, ['/address/street', '/email', '/notes/*', '/password', '/phones/*', '/taxId']);
  });
  it('the responses by status: through allOf and $ref; the recursive member masked whole; a problem+json range too', () => {
    assert.deepEqual(op.sensitiveFields?.responses.get('201'), ['/address/street', '/backupEmail', '/email', '/manager', '/notes/*', '/password', '/phones/*', '/taxId']);
    assert.deepEqual(op.sensitiveFields?.responses.get('4XX'), ['/contact']);
  });
});

describe('masking by pointer', () => {
  const pointers = new SensitivePointers(['/email', '/phones/*', '/notes/*', '/address/street', '/items/*/secret']);
  const table: Array<{ name: string; input: unknown; expected: unknown }> = [
    { name: 'a top-level field', input: { name: 'Ann', email: 'ann@example.com' }, expected: { name: 'Ann', email: MASKED } },
    { name: 'every item of an array', input: { phones: ['+441234', '+449876'] }, expected: { phones: [MASKED, MASKED] } },
    { name: 'every value of a map', input: { notes: { home: '555-1', work: '555-2' } }, expected: { notes: { home: MASKED, work: MASKED } } },
    { name: 'a nested field, its siblings kept', input: { address: { city: 'Leeds', street: '1 Main St' } }, expected: { address: { city: 'Leeds', street: MASKED } } },
    { name: 'a field inside array items', input: { items: [{ secret: 'a', id: 1 }, { id: 2 }] }, expected: { items: [{ secret: MASKED, id: 1 }, { id: 2 }] } },
    { name: 'a sensitive field holding an object is masked whole', input: { email: { local: 'ann', domain: 'x' } }, expected: { email: MASKED } },
    { name: 'a body that is not an object', input: 'plain', expected: 'plain' },
  ];
  for (const row of table) it(row.name, () => assert.deepEqual(pointers.mask(row.input), row.expected));

  it('the whole body when the pointer is the root (a schema too large to walk)', () => {
    assert.equal(new SensitivePointers(['']).mask({ anything: 1 }), MASKED);
  });

  it('cuts the excerpt at maxBytes', () => {
    assert.equal(excerptOf({ name: 'x'.repeat(100) }, new SensitivePointers([]), 20), `${'{"name":"xxxxxxxxxxx'}…`);
  });
});
