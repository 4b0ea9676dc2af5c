/** The pipeline's composition: steps in list order, sync where no step waits, response steps in reverse; the order list itself. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeRequest, composeResponse } from '../../src/gateway/pipeline/compose.js';
import { POLICY_ORDER } from '../../src/gateway/pipeline/order.js';
import type { RequestContext } from '../../src/gateway/pipeline/request-context.js';
import type { RequestStep, ResponseStep } from '../../src/gateway/pipeline/policy.js';

const ctx = {} as RequestContext;

describe('composeRequest', () => {
  it('runs every step in order, then the terminal, synchronously when no step waits', () => {
    const seen: string[] = [];
    const step = (name: string): RequestStep => () => void seen.push(name);
    const result = composeRequest([step('a'), step('b'), step('c')], step('proxy'))(ctx);
    assert.equal(result, undefined, 'no promise when nothing waited');
    assert.deepEqual(seen, ['a', 'b', 'c', 'proxy']);
  });

  it('waits for a step that returns a promise before running the next', async () => {
    const seen: string[] = [];
    const waiting: RequestStep = () => new Promise<void>((resolve) => setImmediate(() => (seen.push('waited'), resolve())));
    const result = composeRequest([() => void seen.push('a'), waiting, () => void seen.push('c')], () => void seen.push('proxy'))(ctx);
    assert.ok(result instanceof Promise);
    assert.deepEqual(seen, ['a']);
    await result;
    assert.deepEqual(seen, ['a', 'waited', 'c', 'proxy']);
  });

  it('stops at a step that refuses (throws or rejects)', async () => {
    const seen: string[] = [];
    const refusal = new Error('refused');
    assert.throws(() => composeRequest([() => { throw refusal; }], () => void seen.push('proxy'))(ctx), refusal);
    await assert.rejects(async () => composeRequest([() => Promise.reject(refusal)], () => void seen.push('proxy'))(ctx), refusal);
    assert.deepEqual(seen, []);
  });

  it('is the terminal itself when there are no steps', () => {
    const terminal: RequestStep = () => undefined;
    assert.equal(composeRequest([], terminal), terminal);
  });
});

describe('composeResponse', () => {
  it('unwinds in reverse order; none gives undefined, one is used as is', () => {
    const seen: string[] = [];
    const step = (name: string): ResponseStep => (_ctx, status) => void seen.push(`${name}:${status}`);
    composeResponse([step('first'), step('second'), step('third')])!(ctx, 200);
    assert.deepEqual(seen, ['third:200', 'second:200', 'first:200']);
    assert.equal(composeResponse([]), undefined);
    const only = step('only');
    assert.equal(composeResponse([only]), only);
  });
});

describe('POLICY_ORDER', () => {
  it("follows DESIGN.md's data-plane order", () => {
    assert.deepEqual(POLICY_ORDER.map((p) => p.name), ['ip-rules', 'mtls', 'auth', 'consumers', 'scopes', 'rate-limit', 'lifecycle', 'request-validation', 'idempotency']);
  });
});
