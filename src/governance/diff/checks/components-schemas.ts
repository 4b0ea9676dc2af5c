/** Schemas removed from components: harmless on the wire, but other documents may `$ref` them. */
import { define, type DiffCheck } from '../check.js';

/** Reports each schema component that the revision no longer has, unless it was only renamed (same content under a new name). */
export const componentsSchemas: DiffCheck = {
  definitions: [define('api-schema-removed', 'info', 'none', 'components', 'A schema was removed from the components.')],
  run(comparison, reporter) {
    const added = new Set(comparison.schemas.added.map((schema) => JSON.stringify(schema.value)));
    for (const schema of comparison.schemas.removed) {
      if (added.has(JSON.stringify(schema.value))) continue;
      reporter.report({ id: 'api-schema-removed', message: `removed the schema '${schema.name}' from the components`, base: schema });
    }
  },
};
