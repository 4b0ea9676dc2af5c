/** Descriptive parts of operations that tools depend on: operationId (code generators) and tags. */
import { define, type DiffCheck } from '../check.js';

/** Reports an operationId removed or changed (as removed) or added, and tags added or removed. */
export const operationMetadata: DiffCheck = {
  definitions: [
    define('api-operation-id-removed', 'info', 'none', 'paths', 'The operationId of an operation was removed or changed.'),
    define('api-operation-id-added', 'info', 'none', 'paths', 'An operationId was added to an operation.'),
    define('api-tag-removed', 'info', 'none', 'paths', 'A tag was removed from an operation.'),
    define('api-tag-added', 'info', 'none', 'paths', 'A tag was added to an operation.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      const before = pair.base.value.operationId;
      const after = pair.revision.value.operationId;
      const at = {
        operation: pair.label,
        base: { file: pair.base.file, pointer: `${pair.base.pointer}/operationId` },
        revision: { file: pair.revision.file, pointer: `${pair.revision.pointer}/operationId` },
      };
      if (before !== after) {
        if (typeof before !== 'string' || before === '') {
          reporter.report({ operation: at.operation, revision: at.revision, id: 'api-operation-id-added', message: `added the operationId '${String(after)}'` });
        } else {
          const change = typeof after === 'string' && after !== '' ? `changed the operationId from '${before}' to '${after}'` : `removed the operationId '${before}'`;
          reporter.report({ operation: at.operation, base: at.base, id: 'api-operation-id-removed', message: change });
        }
      }
      const tags = (value: unknown): string[] => (Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : []);
      const tagsBefore = tags(pair.base.value.tags);
      const tagsAfter = tags(pair.revision.value.tags);
      for (const tag of tagsAfter) {
        if (!tagsBefore.includes(tag)) reporter.report({ operation: pair.label, revision: pair.revision, id: 'api-tag-added', message: `added the tag '${tag}'` });
      }
      for (const tag of tagsBefore) {
        if (!tagsAfter.includes(tag)) reporter.report({ operation: pair.label, base: pair.base, id: 'api-tag-removed', message: `removed the tag '${tag}'` });
      }
    }
  },
};
