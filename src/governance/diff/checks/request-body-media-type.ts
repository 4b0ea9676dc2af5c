/** Media types of a request body: a removed one stops existing clients from sending what they send. */
import { define, type DiffCheck } from '../check.js';

/** Reports added and removed request media types (on bodies present on both sides). */
export const requestBodyMediaType: DiffCheck = {
  definitions: [
    define('request-body-media-type-added', 'info', 'request', 'request-body', 'A media type was added to a request body.'),
    define('request-body-media-type-removed', 'error', 'request', 'request-body', 'A media type was removed from a request body.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported || !pair.requestBody.base || !pair.requestBody.revision) continue;
      for (const media of pair.requestBody.content.added) {
        reporter.report({ id: 'request-body-media-type-added', operation: pair.label, message: `added the media type '${media.name}' to the request body`, revision: media });
      }
      for (const media of pair.requestBody.content.removed) {
        reporter.report({ id: 'request-body-media-type-removed', operation: pair.label, message: `removed the media type '${media.name}' from the request body`, base: media });
      }
    }
  },
};
