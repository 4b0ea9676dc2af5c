/** The idempotency record codec and the memory store: claims, completion by the claim's owner only, expiry, the byte budget. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecord, encodeRecord, type IdempotencyRecord, type InFlightRecord } from '../../src/gateway/policies/idempotency/stores/idempotency-store.js';
import { memoryIdempotencyStore } from '../../src/gateway/policies/idempotency/stores/memory-store.js';

const claim = (token: string, fingerprint = 'fp-1'): InFlightRecord => ({ state: 'in-flight', fingerprint, token });
const completed = (body: Buffer): IdempotencyRecord => ({ state: 'completed', fingerprint: 'fp-1', response: { status: 201, headers: [['content-type', 'application/json'], ['set-cookie', ['a=1', 'b=2']]], body } });

describe('idempotency record codec', () => {
  const RECORDS: Array<{ name: string; record: IdempotencyRecord }> = [
    { name: 'a claim', record: claim('t-1') },
    { name: 'an unreplayable completion', record: { state: 'unreplayable', fingerprint: 'fp-1', status: 201 } },
    { name: 'a completed response with binary bytes and newlines in its body', record: completed(Buffer.from([0x0a, 0x00, 0xff, 0x0a, 0x7b])) },
    { name: 'a completed response with an empty body', record: completed(Buffer.alloc(0)) },
  ];
  for (const r of RECORDS) {
    it(`round-trips ${r.name}`, () => assert.deepEqual(decodeRecord(encodeRecord(r.record)), r.record));
  }
  const FOREIGN = ['', 'not json', '{"s":"x","f":"fp"}', '{"s":"c","f":"fp","st":201,"h":[]}', '[1,2]', 'null'];
  for (const value of FOREIGN) {
    it(`reads a foreign value as nothing: ${JSON.stringify(value)}`, () => assert.equal(decodeRecord(Buffer.from(value)), undefined));
  }
});

describe('memory idempotency store', () => {
  let clock = 1_000_000;
  const store = memoryIdempotencyStore({ maxBytes: 2048, now: () => clock });
  after(() => store.close());

  it('claims a free key once; a second claim gets the first one\'s record', async () => {
    assert.equal(await store.claim('k1', claim('t-1'), 1000), undefined);
    assert.deepEqual(await store.claim('k1', claim('t-2', 'fp-2'), 1000), claim('t-1'));
  });

  it('only the claim\'s owner completes or releases it', async () => {
    await store.complete('k1', claim('t-other'), completed(Buffer.from('x')), 1000);
    await store.release('k1', claim('t-other'));
    assert.deepEqual(await store.claim('k1', claim('t-3'), 1000), claim('t-1'));
    await store.complete('k1', claim('t-1'), completed(Buffer.from('body')), 5000);
    assert.deepEqual(await store.claim('k1', claim('t-4'), 1000), completed(Buffer.from('body')));
    // A completed record is not released by its old claim.
    await store.release('k1', claim('t-1'));
    assert.equal((await store.claim('k1', claim('t-5'), 1000))?.state, 'completed');
  });

  it('a released claim frees the key', async () => {
    assert.equal(await store.claim('k2', claim('t-1'), 1000), undefined);
    await store.release('k2', claim('t-1'));
    assert.equal(await store.claim('k2', claim('t-2'), 1000), undefined);
  });

  it('a record expires after its time (injected clock)', async () => {
    assert.equal(await store.claim('k3', claim('t-1'), 1000), undefined);
    clock += 999;
    assert.equal((await store.claim('k3', claim('t-2'), 1000))?.state, 'in-flight');
    clock += 1;
    assert.equal(await store.claim('k3', claim('t-3'), 1000), undefined);
    // A completion of an expired claim is dropped: the key now belongs to the new request.
    await store.complete('k3', claim('t-1'), completed(Buffer.from('late')), 1000);
    assert.deepEqual(await store.claim('k3', claim('t-4'), 1000), claim('t-3'));
  });

  it('a response over the byte budget is kept as unreplayable, and the budget is given back on expiry', async () => {
    assert.equal(await store.claim('big', claim('t-1'), 1000), undefined);
    await store.complete('big', claim('t-1'), completed(Buffer.alloc(4096)), 1000);
    assert.deepEqual(await store.claim('big', claim('t-2'), 1000), { state: 'unreplayable', fingerprint: 'fp-1', status: 201 });
    assert.ok(store.bytes() < 2048, `${store.bytes()} bytes kept`);
    clock += 10_000;
    for (const key of ['k1', 'k2', 'k3', 'big']) await store.claim(key, claim('t-sweep'), 1);
    clock += 10;
    await store.claim('k-last', claim('t-1'), 1);
    clock += 10;
    assert.equal(await store.claim('k-last', claim('t-2'), 1), undefined);
  });
});
