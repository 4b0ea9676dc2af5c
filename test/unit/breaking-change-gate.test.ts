/**
 * The verdict of a block-if-used policy over hand-written impact reports: any use, a share
 * threshold, excluded consumers, too short a coverage, too little traffic, a change tied to no
 * operation, degraded (overflowed) evidence, and the bounded audit form.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditedImpact, AUDIT_MAX_CHANGES, judgeBreakingChanges, type BreakingChangeDecision } from '../../src/registry/breaking-change-gate.js';
import type { AffectedConsumer, ImpactChange, ImpactReport } from '../../src/impact/impact-report.js';
import type { BreakingChangePolicy } from '../../src/registry/schema.js';

const POLICY: BreakingChangePolicy = { mode: 'block-if-used', window: '30d', minRequests: 10, excludeConsumers: [], threshold: 0 };
const SEEN = { firstSeen: '2026-11-10T10:00:00.000Z', lastSeen: '2026-12-01T10:00:00.000Z' };

function consumer(id: string, calls: number, evidence: AffectedConsumer['evidence'], note?: string): AffectedConsumer {
  return { id, calls, ...SEEN, evidence, ...(note ? { note } : {}) };
}

function change(consumers: AffectedConsumer[], over: Partial<ImpactChange> = {}): ImpactChange {
  return { id: 'request-property-became-required', severity: 'error', message: 'm', operation: 'POST /orders', usageOperation: 'createOrder', location: { file: 'orders/1.1.0.yaml', pointer: '/paths' }, field: 'body:/note', consumers, ...over };
}

function report(changes: ImpactChange[], coverage: Partial<ImpactReport['coverage']> = {}): ImpactReport {
  return { api: 'orders', base: '1.0.0', revision: '1.1.0', breaking: false, window: { since: '2026-11-04', until: '2026-12-03', days: 30 }, coverage: { days: 30, requests: 1000, overflowed: false, ...coverage }, changes };
}

const summary = (d: BreakingChangeDecision) => ({ outcome: d.outcome, accepted: d.accepted, consumers: d.consumers.map((c) => [c.id, c.changes.map((u) => [u.evidence, u.calls, u.share])]), reasons: d.reasons });

describe('judgeBreakingChanges', () => {
  const cases: Array<{ name: string; report: ImpactReport; policy?: Partial<BreakingChangePolicy>; expect: ReturnType<typeof summary> }> = [
    {
      name: 'no caller sends what changes: accepted',
      report: report([change([consumer('acme', 40, 'none'), consumer('globex', 60, 'none')])]),
      expect: { outcome: 'accepted', accepted: true, consumers: [], reasons: [] },
    },
    {
      name: 'one call with field evidence blocks at threshold 0',
      report: report([change([consumer('acme', 1, 'field'), consumer('globex', 99, 'none')])]),
      expect: { outcome: 'in-use', accepted: false, consumers: [['acme', [['field', 1, 0.01]]]], reasons: [] },
    },
    {
      name: 'a share below the threshold passes',
      report: report([change([consumer('acme', 1, 'field'), consumer('globex', 199, 'none')])]),
      policy: { threshold: 0.01 },
      expect: { outcome: 'accepted', accepted: true, consumers: [], reasons: [] },
    },
    {
      name: 'a share at the threshold blocks',
      report: report([change([consumer('acme', 2, 'field'), consumer('globex', 198, 'none')])]),
      policy: { threshold: 0.01 },
      expect: { outcome: 'in-use', accepted: false, consumers: [['acme', [['field', 2, 0.01]]]], reasons: [] },
    },
    {
      name: 'affected consumers add up against the threshold',
      report: report([change([consumer('acme', 1, 'field'), consumer('globex', 1, 'operation'), consumer('initech', 98, 'none')])]),
      policy: { threshold: 0.02 },
      expect: { outcome: 'in-use', accepted: false, consumers: [['acme', [['field', 1, 0.01]]], ['globex', [['operation', 1, 0.01]]]], reasons: [] },
    },
    {
      name: 'an excluded consumer neither blocks nor counts in the share',
      report: report([change([consumer('qa', 500, 'field'), consumer('acme', 1, 'field'), consumer('globex', 3, 'none')])]),
      policy: { excludeConsumers: ['qa'], threshold: 0.5 },
      expect: { outcome: 'accepted', accepted: true, consumers: [], reasons: [] },
    },
    {
      name: 'records younger than the window: unproven',
      report: report([change([consumer('acme', 40, 'none')])], { days: 12 }),
      expect: { outcome: 'unproven', accepted: false, consumers: [], reasons: ['the usage records of orders v1 cover 12 of the 30 day(s) the policy requires (window 30d)'] },
    },
    {
      name: 'too little traffic: unproven',
      report: report([change([consumer('acme', 4, 'none')])], { requests: 4 }),
      expect: { outcome: 'unproven', accepted: false, consumers: [], reasons: ['4 call(s) of orders v1 in the window, fewer than the 10 the policy requires (minRequests)'] },
    },
    {
      name: 'a change tied to no operation: unproven',
      report: report([change([], { id: 'api-security-removed', operation: '', usageOperation: undefined, field: undefined })]),
      expect: { outcome: 'unproven', accepted: false, consumers: [], reasons: ["api-security-removed (no single operation) cannot be tied to an operation's usage records, so no record can show it unused"] },
    },
    {
      name: 'an overflowed fingerprint (evidence degraded to operation) blocks, with its note',
      report: report([change([consumer('acme', 10, 'operation', 'its fingerprint overflowed (3 examined request(s) sent locations beyond the cap), so not sending body:/note cannot be proven')])], { overflowed: true }),
      expect: { outcome: 'in-use', accepted: false, consumers: [['acme', [['operation', 10, 1]]]], reasons: [] },
    },
    {
      name: 'possibly breaking changes (warn) are not judged',
      report: report([change([consumer('acme', 10, 'field')], { severity: 'warn' })]),
      expect: { outcome: 'accepted', accepted: true, consumers: [], reasons: [] },
    },
    {
      name: 'in use wins over unproven: the consumers are named, the reasons kept',
      report: report([change([consumer('acme', 3, 'field')])], { requests: 3 }),
      expect: { outcome: 'in-use', accepted: false, consumers: [['acme', [['field', 3, 1]]]], reasons: ['3 call(s) of orders v1 in the window, fewer than the 10 the policy requires (minRequests)'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(summary(judgeBreakingChanges(c.report, { ...POLICY, ...c.policy })), c.expect);
    });
  }

  it('keeps the overflow note of a blocking consumer', () => {
    const note = 'its fingerprint overflowed (3 examined request(s) sent locations beyond the cap), so not sending body:/note cannot be proven';
    const d = judgeBreakingChanges(report([change([consumer('acme', 10, 'operation', note)])], { overflowed: true }), POLICY);
    assert.equal(d.consumers[0]!.changes[0]!.note, note);
  });

  it('the audit form keeps at most AUDIT_MAX_CHANGES breaking changes and counts the rest', () => {
    const r = report(Array.from({ length: AUDIT_MAX_CHANGES + 7 }, () => change([consumer('acme', 5, 'none')])));
    const audited = auditedImpact('1.0.0', judgeBreakingChanges(r, POLICY), r);
    assert.equal(audited.changes.length, AUDIT_MAX_CHANGES);
    assert.equal(audited.omittedChanges, 7);
    assert.deepEqual(audited.changes[0], { id: 'request-property-became-required', operation: 'POST /orders', field: 'body:/note', consumers: [{ id: 'acme', calls: 5, evidence: 'none' }] });
  });
});
