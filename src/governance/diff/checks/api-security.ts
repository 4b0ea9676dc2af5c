/**
 * Security requirements of operations and of the whole document. Requirements are alternatives:
 * matched by the set of schemes they name, then compared scope by scope. The gateway enforces
 * them (authentication by the named schemes, scopes from the contract), so a change that turns
 * away a caller the base let in is breaking, whatever its kind; one that only lets more callers
 * in is not.
 */
import type { Severity } from '../../findings.js';
import { define, type ChangeReporter, type DiffCheck } from '../check.js';
import { matchBy } from '../compare-contracts.js';
import type { SecurityRequirementEntry, SourceRef } from '../model.js';

interface SecurityIds {
  added: string;
  removed: string;
  scopeAdded: string;
  scopeRemoved: string;
}

function describe(requirement: SecurityRequirementEntry): string {
  return requirement.key === '' ? 'anonymous access' : Object.keys(requirement.schemes).sort().join(' + ');
}

/** The requirements in force: none declared (or an empty list) means anyone may call. */
function alternatives(requirements: readonly SecurityRequirementEntry[]): ReadonlyArray<Pick<SecurityRequirementEntry, 'schemes'>> {
  return requirements.length === 0 ? [{ schemes: {} }] : requirements;
}

/** True when a caller who satisfies `held` also satisfies `asked`: every scheme and scope it asks for is held. */
function satisfies(held: Pick<SecurityRequirementEntry, 'schemes'>, asked: Pick<SecurityRequirementEntry, 'schemes'>): boolean {
  for (const [scheme, scopes] of Object.entries(asked.schemes)) {
    const have = held.schemes[scheme];
    if (have === undefined) return false;
    if (!scopes.every((scope) => have.includes(scope))) return false;
  }
  return true;
}

/**
 * True when some caller the base admits is refused by the revision: an alternative of the base
 * that no alternative of the revision accepts (security added to an open operation, a scope or a
 * second scheme required, an alternative or anonymous access removed).
 */
export function refusesCallers(base: readonly SecurityRequirementEntry[], revision: readonly SecurityRequirementEntry[]): boolean {
  const after = alternatives(revision);
  return alternatives(base).some((held) => !after.some((asked) => satisfies(held, asked)));
}

function compareRequirements(
  base: SecurityRequirementEntry[],
  revision: SecurityRequirementEntry[],
  ids: SecurityIds,
  where: { operation?: string; baseFile: string; revisionFile: string; label: string; narrowing: Severity },
  reporter: ChangeReporter,
): void {
  const at = (file: string, pointer: string): SourceRef => ({ file, pointer });
  const matched = matchBy(base, revision, (r) => r.key);
  const common = { operation: where.operation };
  const severity = where.narrowing;
  for (const requirement of matched.added) {
    reporter.report({ ...common, severity, id: ids.added, message: `added the security requirement '${describe(requirement)}' to ${where.label}`, revision: at(where.revisionFile, requirement.pointer) });
  }
  for (const requirement of matched.removed) {
    reporter.report({ ...common, severity, id: ids.removed, message: `removed the security requirement '${describe(requirement)}' from ${where.label}`, base: at(where.baseFile, requirement.pointer) });
  }
  for (const { base: b, revision: r } of matched.matched) {
    for (const scheme of Object.keys(r.schemes)) {
      const before = new Set(b.schemes[scheme] ?? []);
      const after = new Set(r.schemes[scheme]);
      for (const scope of after) {
        if (before.has(scope)) continue;
        reporter.report({ ...common, severity, id: ids.scopeAdded, message: `added the scope '${scope}' of the security scheme '${scheme}' to ${where.label}`, base: at(where.baseFile, b.pointer), revision: at(where.revisionFile, r.pointer) });
      }
      for (const scope of before) {
        if (after.has(scope)) continue;
        reporter.report({ ...common, id: ids.scopeRemoved, message: `removed the scope '${scope}' of the security scheme '${scheme}' from ${where.label}`, base: at(where.baseFile, b.pointer), revision: at(where.revisionFile, r.pointer) });
      }
    }
  }
}

const BREAKING_WHEN_REFUSING = 'Breaking (error) when it refuses callers the base admitted, as the gateway enforces it; info when it only admits more.';

/** Reports requirements and scopes added or removed, per operation and for the document. */
export const apiSecurity: DiffCheck = {
  definitions: [
    define('api-security-added', 'error', 'none', 'security', `A security requirement was added to an operation. ${BREAKING_WHEN_REFUSING}`),
    define('api-security-removed', 'error', 'none', 'security', `A security requirement (or anonymous access) was removed from an operation. ${BREAKING_WHEN_REFUSING}`),
    define('api-security-scope-added', 'error', 'none', 'security', `A scope was added to a security requirement of an operation. ${BREAKING_WHEN_REFUSING}`),
    define('api-security-scope-removed', 'info', 'none', 'security', 'A scope was removed from a security requirement of an operation.'),
    define('api-global-security-added', 'error', 'none', 'security', `A security requirement was added to the document-level security. ${BREAKING_WHEN_REFUSING}`),
    define('api-global-security-removed', 'error', 'none', 'security', `A security requirement was removed from the document-level security. ${BREAKING_WHEN_REFUSING}`),
    define('api-global-security-scope-added', 'error', 'none', 'security', `A scope was added to a document-level security requirement. ${BREAKING_WHEN_REFUSING}`),
    define('api-global-security-scope-removed', 'info', 'none', 'security', 'A scope was removed from a document-level security requirement.'),
  ],
  run(comparison, reporter) {
    const global = comparison.globalSecurity;
    // Document-level security only matters to operations that declare none of their own.
    const inherits = comparison.operations.some((pair) => pair.revision.security === undefined);
    const globalNarrowing: Severity = inherits && refusesCallers(global.base, global.revision) ? 'error' : 'info';
    compareRequirements(
      global.base,
      global.revision,
      { added: 'api-global-security-added', removed: 'api-global-security-removed', scopeAdded: 'api-global-security-scope-added', scopeRemoved: 'api-global-security-scope-removed' },
      { baseFile: comparison.base.file, revisionFile: comparison.revision.file, label: 'the document-level security', narrowing: globalNarrowing },
      reporter,
    );
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      const effective = (own: SecurityRequirementEntry[] | undefined, fallback: SecurityRequirementEntry[]): SecurityRequirementEntry[] => own ?? fallback;
      const narrowing: Severity = refusesCallers(effective(pair.base.security, global.base), effective(pair.revision.security, global.revision)) ? 'error' : 'info';
      compareRequirements(
        pair.base.security ?? [],
        pair.revision.security ?? [],
        { added: 'api-security-added', removed: 'api-security-removed', scopeAdded: 'api-security-scope-added', scopeRemoved: 'api-security-scope-removed' },
        { operation: pair.label, baseFile: pair.base.file, revisionFile: pair.revision.file, label: 'the endpoint', narrowing },
        reporter,
      );
    }
  },
};
