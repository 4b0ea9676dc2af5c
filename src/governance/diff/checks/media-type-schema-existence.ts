/** A media type that gained or lost its schema: without one anything goes, so the direction decides. */
import { define, type DiffCheck } from '../check.js';
import type { MediaTypePair } from '../model.js';

/** Reports schemas added to or removed from request and response media types. */
export const mediaTypeSchemaExistence: DiffCheck = {
  definitions: [
    define('request-body-media-type-schema-added', 'error', 'request', 'request-body', 'A request media type that accepted anything now has a schema.'),
    define('request-body-media-type-schema-removed', 'info', 'request', 'request-body', 'A request media type no longer has a schema, so it accepts anything.'),
    define('response-body-media-type-schema-added', 'info', 'response', 'responses', 'A response media type that could hold anything now has a schema.'),
    define('response-body-media-type-schema-removed', 'warn', 'response', 'responses', 'A response media type no longer has a schema, so it may hold anything.'),
  ],
  run(comparison, reporter) {
    const judge = (operation: string, media: MediaTypePair, where: string, ids: [string, string]): void => {
      const had = media.base.schema !== undefined;
      const has = media.revision.schema !== undefined;
      if (had === has) return;
      reporter.report({
        id: has ? ids[0] : ids[1],
        operation,
        message: `${has ? 'added a schema to' : 'removed the schema of'} the media type '${media.revision.name}' of ${where}`,
        base: media.base,
        revision: media.revision,
      });
    };
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const media of pair.requestBody.content.matched) {
        judge(pair.label, media, 'the request body', ['request-body-media-type-schema-added', 'request-body-media-type-schema-removed']);
      }
      for (const response of pair.responses.matched) {
        for (const media of response.content.matched) {
          judge(pair.label, media, `the response ${response.revision.status}`, ['response-body-media-type-schema-added', 'response-body-media-type-schema-removed']);
        }
      }
    }
  },
};
