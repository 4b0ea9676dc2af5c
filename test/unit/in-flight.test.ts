import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { InFlight } from '../../src/gateway/in-flight.js';

describe('responses in progress', () => {
  it('counts and lists what was added and not yet removed, in any removal order', () => {
    const inFlight = new InFlight();
    const responses = Array.from({ length: 5 }, (_, i) => ({ id: i }) as unknown as ServerResponse);
    const entries = responses.map((res) => inFlight.add(res));
    assert.equal(inFlight.size, 5);
    inFlight.remove(entries[2]!); // middle
    inFlight.remove(entries[4]!); // head (most recent)
    inFlight.remove(entries[0]!); // tail
    assert.equal(inFlight.size, 2);
    assert.deepEqual([...inFlight], [responses[3], responses[1]]);
    inFlight.remove(entries[2]!); // twice: no effect
    assert.equal(inFlight.size, 2);
    inFlight.remove(entries[1]!);
    inFlight.remove(entries[3]!);
    assert.equal(inFlight.size, 0);
    assert.deepEqual([...inFlight], []);
    const again = inFlight.add(responses[0]!);
    assert.deepEqual([...inFlight], [responses[0]]);
    inFlight.remove(again);
    assert.equal(inFlight.size, 0);
  });
});
