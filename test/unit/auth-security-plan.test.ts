/** How an operation's `security` compiles: sources shared across alternatives, which alternatives are kept, and which scopes each satisfied alternative is checked against. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompiledOperation, SecuritySchemeRequirement } from '../../src/contracts/compile/index.js';
import { scopeAlternatives, securityPlan } from '../../src/gateway/policies/auth/security.js';

const location = { file: 'c.yaml', pointer: '/x', line: 1 };
const oauth = (scopes: string[] = []): SecuritySchemeRequirement => ({ scheme: 'oauth', type: 'oauth2', httpScheme: '', scopes, location });
const other = (scopes: string[] = []): SecuritySchemeRequirement => ({ scheme: 'other', type: 'openIdConnect', httpScheme: '', scopes, location });
const headerKey: SecuritySchemeRequirement = { scheme: 'key', type: 'apiKey', httpScheme: '', apiKey: { in: 'header', name: 'X-Api-Key' }, scopes: [], location };
const queryKey: SecuritySchemeRequirement = { scheme: 'qkey', type: 'apiKey', httpScheme: '', apiKey: { in: 'query', name: 'api_key' }, scopes: [], location };
const basic: SecuritySchemeRequirement = { scheme: 'basic', type: 'http', httpScheme: 'basic', scopes: [], location };
const mtls: SecuritySchemeRequirement = { scheme: 'mtls', type: 'mutualTLS', httpScheme: '', scopes: [], location };
const digest: SecuritySchemeRequirement = { scheme: 'digest', type: 'http', httpScheme: 'digest', scopes: [], location };
const op = (security: SecuritySchemeRequirement[][] | undefined): CompiledOperation => ({ method: 'GET', pathTemplate: '/x', security }) as unknown as CompiledOperation;

describe('securityPlan', () => {
  const cases: Array<{ name: string; security: SecuritySchemeRequirement[][] | undefined; sources?: string[]; kept?: number[]; jwtOnly?: boolean; anonymous?: boolean }> = [
    { name: 'no security: anonymous', security: undefined, anonymous: true },
    { name: 'an empty alternative: anonymous', security: [[headerKey], []], anonymous: true },
    { name: 'JWT alternatives share the one bearer source', security: [[oauth(['a'])], [other(['b'])]], sources: ['bearer'], kept: [0, 1], jwtOnly: true },
    { name: 'key OR token', security: [[headerKey], [oauth(['a'])]], sources: ['header', 'bearer'], kept: [0, 1], jwtOnly: false },
    { name: 'key AND token', security: [[headerKey, oauth(['a'])]], sources: ['header', 'bearer'], kept: [0], jwtOnly: false },
    { name: 'basic and a query key', security: [[basic], [queryKey]], sources: ['basic', 'query'], kept: [0, 1], jwtOnly: false },
    { name: 'mutual TLS OR token', security: [[mtls], [oauth()]], sources: ['certificate', 'bearer'], kept: [0, 1], jwtOnly: false },
    { name: 'mutual TLS AND token', security: [[mtls, oauth(['a'])]], sources: ['certificate', 'bearer'], kept: [0], jwtOnly: false },
    { name: 'http digest left aside', security: [[digest], [oauth()]], sources: ['bearer'], kept: [1], jwtOnly: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = securityPlan(op(c.security), 'c.yaml');
      if (c.anonymous) return assert.equal(plan, undefined);
      assert.deepEqual(plan!.sources.map((s) => s.kind), c.sources);
      assert.deepEqual(plan!.alternatives.map((a) => a.index), c.kept);
      assert.equal(plan!.jwtOnly, c.jwtOnly);
    });
  }

  it('refuses an operation whose only alternative is http digest', () => {
    assert.throws(() => securityPlan(op([[digest]]), 'c.yaml'), /security scheme "digest" \(http digest\) is not enforced by the gateway, and no alternative is/);
  });
});

describe('scopeAlternatives', () => {
  const scopesOf = (security: SecuritySchemeRequirement[][]): Record<number, string[][]> => {
    const result: Record<number, string[][]> = {};
    for (const [index, requirements] of scopeAlternatives(securityPlan(op(security), 'c.yaml')!)) result[index] = requirements.map((r) => r.flatMap((e) => [...e.scopes]));
    return result;
  };
  it('JWT-only alternatives: each is checked against all, as before keys', () => {
    assert.deepEqual(scopesOf([[oauth(['a'])], [other(['b'])]]), { 0: [['a'], ['b']], 1: [['a'], ['b']] });
  });
  it('a key alternative needs no scope; the token alternative keeps its own', () => {
    assert.deepEqual(scopesOf([[headerKey], [oauth(['a'])]]), { 1: [['a']] });
  });
  it('certificate AND token counts only with the certificate: a token alone meets the token-only alternative', () => {
    assert.deepEqual(scopesOf([[mtls, oauth(['a'])], [oauth(['b'])]]), { 0: [['a'], ['b']], 1: [['b']] });
  });
  it('key AND token: the token alternative alone, not one that lacks the key', () => {
    assert.deepEqual(scopesOf([[headerKey, oauth(['a'])], [oauth(['b'])]]), { 0: [['a'], ['b']], 1: [['b']] });
  });
});
