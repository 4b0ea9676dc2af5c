/** chooseResponse: which status, media type and body the mock picks for a request, with and without Prefer. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseResponse, MockGenerationError, type MockAnswer } from '../../src/mock/choose-response.js';
import { PreferenceError, type MockPreference } from '../../src/mock/prefer-header.js';
import type { MockOperation } from '../../src/mock/response-plan.js';

const operation: MockOperation = {
  method: 'GET',
  path: '/parcels/{id}',
  operationId: 'getParcel',
  responses: [
    { key: 'default', headers: [], content: [{ contentType: 'application/problem+json', examples: [{ name: 'oops', value: { status: 500 } }], hasSchema: true, generated: { status: 400 } }] },
    { key: '404', headers: [], content: [] },
    {
      key: '200',
      headers: [{ name: 'ETag', value: '"v1"' }],
      content: [
        { contentType: 'application/json', examples: [{ name: 'small', value: { kg: 1 } }, { name: 'heavy', value: { kg: 30 } }], hasSchema: true, generated: { kg: 0 } },
        { contentType: 'text/csv', examples: [{ name: 'csv', value: 'kg\n1\n' }], hasSchema: true, generated: 'string' },
      ],
    },
    { key: '203', headers: [], content: [{ contentType: 'application/json', examples: [], hasSchema: true, generated: { kg: 2 } }] },
    { key: '4XX', headers: [], content: [{ contentType: 'application/problem+json', examples: [], hasSchema: false, generated: undefined }] },
  ],
};

describe('chooseResponse', () => {
  const scenarios: Array<{ name: string; preference?: MockPreference; accept?: string; answer: MockAnswer }> = [
    { name: 'lowest 2xx and its first example by default', answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'application/json', body: { kg: 1 }, source: 'example=small' } },
    { name: 'a named example', preference: { example: 'heavy' }, answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'application/json', body: { kg: 30 }, source: 'example=heavy' } },
    { name: 'a named example from another media type picks that type', preference: { example: 'csv' }, answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'text/csv', body: 'kg\n1\n', source: 'example=csv' } },
    { name: 'Accept picks the media type', accept: 'text/csv, application/json;q=0.5', answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'text/csv', body: 'kg\n1\n', source: 'example=csv' } },
    { name: 'q=0 excludes a media type', accept: 'application/json;q=0, */*;q=0.1', answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'text/csv', body: 'kg\n1\n', source: 'example=csv' } },
    { name: 'nothing acceptable falls back to the first declared type', accept: 'image/png', answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'application/json', body: { kg: 1 }, source: 'example=small' } },
    { name: 'a declared status without examples is generated', preference: { code: 203 }, answer: { status: 203, headers: [], contentType: 'application/json', body: { kg: 2 }, source: 'generated' } },
    { name: 'dynamic ignores the examples', preference: { dynamic: true }, answer: { status: 200, headers: [{ name: 'ETag', value: '"v1"' }], contentType: 'application/json', body: { kg: 0 }, source: 'generated' } },
    { name: 'a status without content answers an empty body', preference: { code: 404 }, answer: { status: 404, headers: [], source: 'empty' } },
    { name: 'a status inside a declared range uses the range', preference: { code: 429 }, answer: { status: 429, headers: [], contentType: 'application/problem+json', source: 'empty' } },
    { name: 'an undeclared 5xx falls to default', preference: { code: 503 }, answer: { status: 503, headers: [], contentType: 'application/problem+json', body: { status: 500 }, source: 'example=oops' } },
  ];
  for (const s of scenarios) {
    it(s.name, () => {
      assert.deepEqual(chooseResponse(operation, s.preference ?? {}, s.accept), s.answer);
    });
  }

  it('prefers a 2XX range, then default, when no explicit 2xx is declared', () => {
    const ranged: MockOperation = { ...operation, responses: [operation.responses[0], { key: '2XX', headers: [], content: [] }] };
    assert.deepEqual(chooseResponse(ranged, {}, undefined), { status: 200, headers: [], source: 'empty' });
    const defaultOnly: MockOperation = { ...operation, responses: [operation.responses[0]] };
    assert.equal(chooseResponse(defaultOnly, {}, undefined).status, 200);
  });

  const refusals: Array<{ name: string; preference: MockPreference; error: typeof PreferenceError | typeof MockGenerationError; message: string }> = [
    { name: 'an unknown example', preference: { example: 'tiny' }, error: PreferenceError, message: 'no example is named "tiny" (examples: oops, small, heavy, csv)' },
    { name: 'an example on a status without content', preference: { code: 404, example: 'small' }, error: PreferenceError, message: 'the 404 response has no content, so no example "small"' },
    { name: 'dynamic without a schema', preference: { code: 418, dynamic: true }, error: PreferenceError, message: 'the 4XX application/problem+json response has no schema to generate from' },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}`, () => {
      assert.throws(() => chooseResponse(operation, r.preference, undefined), (error: unknown) => error instanceof r.error && (error as Error).message === r.message);
    });
  }

  it('reports a schema that could not be sampled as a generation failure', () => {
    const broken: MockOperation = { ...operation, responses: [{ key: '200', headers: [], content: [{ contentType: 'application/json', examples: [], hasSchema: true, generated: undefined }] }] };
    assert.throws(() => chooseResponse(broken, {}, undefined), (error: unknown) => error instanceof MockGenerationError && error.message === 'cannot generate a 200 application/json body from the schema; add an example');
  });
});
