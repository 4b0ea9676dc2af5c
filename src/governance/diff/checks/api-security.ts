/**
 * Security requirements of operations and of the whole document. Requirements are alternatives:
 * matched by the set of schemes they name, then compared scope by scope.
 */
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
  return Object.keys(requirement.schemes).sort().join(' + ');
}

function compareRequirements(
  base: SecurityRequirementEntry[],
  revision: SecurityRequirementEntry[],
  ids: SecurityIds,
  where: { operation?: string; baseFile: string; revisionFile: string; label: string },
  reporter: ChangeReporter,
): void {
  const at = (file: string, pointer: string): SourceRef => ({ file, pointer });
  const matched = matchBy(base.filter((r) => r.key !== ''), revision.filter((r) => r.key !== ''), (r) => r.key);
  const common = { operation: where.operation };
  for (const requirement of matched.added) {
    reporter.report({ ...common, id: ids.added, message: `added the security requirement '${describe(requirement)}' to ${where.label}`, revision: at(where.revisionFile, requirement.pointer) });
  }
  for (const requirement of matched.removed) {
    reporter.report({ ...common, id: ids.removed, message: `removed the security requirement '${describe(requirement)}' from ${where.label}`, base: at(where.baseFile, requirement.pointer) });
  }
  for (const { base: b, revision: r } of matched.matched) {
    for (const scheme of Object.keys(r.schemes)) {
      const before = new Set(b.schemes[scheme] ?? []);
      const after = new Set(r.schemes[scheme]);
      for (const scope of after) {
        if (before.has(scope)) continue;
        reporter.report({ ...common, id: ids.scopeAdded, message: `added the scope '${scope}' of the security scheme '${scheme}' to ${where.label}`, base: at(where.baseFile, b.pointer), revision: at(where.revisionFile, r.pointer) });
      }
      for (const scope of before) {
        if (after.has(scope)) continue;
        reporter.report({ ...common, id: ids.scopeRemoved, message: `removed the scope '${scope}' of the security scheme '${scheme}' from ${where.label}`, base: at(where.baseFile, b.pointer), revision: at(where.revisionFile, r.pointer) });
      }
    }
  }
}

/** Reports requirements and scopes added or removed, per operation and for the document. */
export const apiSecurity: DiffCheck = {
  definitions: [
    define('api-security-added', 'info', 'none', 'security', 'A security requirement was added to an operation.'),
    define('api-security-removed', 'info', 'none', 'security', 'A security requirement was removed from an operation.'),
    define('api-security-scope-added', 'info', 'none', 'security', 'A scope was added to a security requirement of an operation.'),
    define('api-security-scope-removed', 'info', 'none', 'security', 'A scope was removed from a security requirement of an operation.'),
    define('api-global-security-added', 'info', 'none', 'security', 'A security requirement was added to the document-level security.'),
    define('api-global-security-removed', 'info', 'none', 'security', 'A security requirement was removed from the document-level security.'),
    define('api-global-security-scope-added', 'info', 'none', 'security', 'A scope was added to a document-level security requirement.'),
    define('api-global-security-scope-removed', 'info', 'none', 'security', 'A scope was removed from a document-level security requirement.'),
  ],
  run(comparison, reporter) {
    compareRequirements(
      comparison.globalSecurity.base,
      comparison.globalSecurity.revision,
      { added: 'api-global-security-added', removed: 'api-global-security-removed', scopeAdded: 'api-global-security-scope-added', scopeRemoved: 'api-global-security-scope-removed' },
      { baseFile: comparison.base.file, revisionFile: comparison.revision.file, label: 'the document-level security' },
      reporter,
    );
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      compareRequirements(
        pair.base.security ?? [],
        pair.revision.security ?? [],
        { added: 'api-security-added', removed: 'api-security-removed', scopeAdded: 'api-security-scope-added', scopeRemoved: 'api-security-scope-removed' },
        { operation: pair.label, baseFile: pair.base.file, revisionFile: pair.revision.file, label: 'the endpoint' },
        reporter,
      );
    }
  },
};
