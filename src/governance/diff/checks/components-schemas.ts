/** Schemas removed from components: harmless on the wire, but other documents may `$ref` them. */
import { define, type DiffCheck } from '../check.js';

/** Reports each schema component that the revision no longer has. */
export const componentsSchemas: DiffCheck = {
  definitions: [define('api-schema-removed', 'info', 'none', 'components', 'A schema was removed from the components.')],
  run(comparison, reporter) {
    for (const schema of comparison.schemas.removed) {
      reporter.report({ id: 'api-schema-removed', message: `removed the schema '${schema.name}' from the components`, base: schema });
    }
  },
};
