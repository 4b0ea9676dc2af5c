import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumerLabels } from '../../src/observability/consumer-labels.js';

/** A tracker with a hand-moved clock; `dropped` collects what each period end took away. */
function tracker(top: number): { labels: ConsumerLabels; advance(ms: number): void; dropped: string[][] } {
  let now = 1_000_000;
  const dropped: string[][] = [];
  const labels = new ConsumerLabels({ top, periodMs: 60_000, now: () => now, onDropped: (ids) => dropped.push([...ids]) });
  return { labels, advance: (ms) => (now += ms), dropped };
}

const calls = (labels: ConsumerLabels, id: string, n: number): string[] => Array.from({ length: n }, () => labels.label(id));

describe('consumer labels', () => {
  const scenarios: Array<{ name: string; run(): void }> = [
    {
      name: 'a request without an identity is (anonymous) whatever the slots',
      run() {
        const { labels } = tracker(0);
        assert.equal(labels.label(undefined), '(anonymous)');
      },
    },
    {
      name: 'top 0 folds every identified caller into (other)',
      run() {
        const { labels } = tracker(0);
        assert.equal(labels.label('acme'), '(other)');
      },
    },
    {
      name: 'free slots go first come; beyond them callers are (other)',
      run() {
        const { labels } = tracker(2);
        assert.deepEqual(['a', 'b', 'c', 'a', 'c'].map((id) => labels.label(id)), ['a', 'b', '(other)', 'a', '(other)']);
        assert.deepEqual(labels.keptConsumers(), ['a', 'b']);
      },
    },
    {
      name: 'at the end of a period the busiest keep the slots and the others lose theirs',
      run() {
        const { labels, advance, dropped } = tracker(2);
        calls(labels, 'early', 1);
        calls(labels, 'light', 1);
        calls(labels, 'busy', 5);
        calls(labels, 'busier', 7);
        advance(60_000);
        assert.equal(labels.label('busy'), 'busy');
        assert.equal(labels.label('busier'), 'busier');
        assert.equal(labels.label('early'), '(other)');
        assert.deepEqual(dropped, [['early', 'light']]);
      },
    },
    {
      name: 'a period with fewer busy consumers than slots leaves slots free for newcomers',
      run() {
        const { labels, advance } = tracker(3);
        calls(labels, 'a', 2);
        advance(60_001);
        assert.equal(labels.label('z'), 'z');
        assert.deepEqual(labels.keptConsumers(), ['a', 'z']);
      },
    },
    {
      name: 'a heavy consumer among many distinct light ones is found (Misra-Gries)',
      run() {
        const { labels, advance } = tracker(1);
        // 16 counters: 200 one-off consumers interleaved with 100 calls of one heavy hitter.
        calls(labels, 'first', 1);
        for (let i = 0; i < 200; i++) {
          labels.label(`light-${i}`);
          if (i % 2 === 0) labels.label('heavy');
        }
        assert.equal(labels.label('heavy'), '(other)');
        advance(60_000);
        assert.equal(labels.label('heavy'), 'heavy');
        assert.deepEqual(labels.keptConsumers(), ['heavy']);
        assert.equal(labels.label('first'), '(other)');
      },
    },
  ];
  for (const scenario of scenarios) it(scenario.name, () => scenario.run());

  it('refuses a negative slot count at construction', () => {
    assert.throws(() => new ConsumerLabels({ top: -1, periodMs: 1, now: Date.now, onDropped: () => {} }), TypeError);
  });
});
