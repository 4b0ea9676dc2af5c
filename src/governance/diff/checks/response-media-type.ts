/** Media types of a response: a removed one leaves clients without the representation they read. */
import { define, type DiffCheck } from '../check.js';

/** Reports added, removed and renamed response media types. */
export const responseMediaType: DiffCheck = {
  definitions: [
    define('response-media-type-removed', 'error', 'response', 'responses', 'A media type was removed from a response.'),
    define('response-media-type-added', 'info', 'response', 'responses', 'A media type was added to a response.'),
    define('response-media-type-name-changed', 'info', 'response', 'responses', 'The parameters of a response media type changed (e.g. its charset).'),
    define('response-media-type-name-generalized', 'error', 'response', 'responses', 'A response media type was widened to a range (e.g. application/json to application/*).'),
    define('response-media-type-name-specialized', 'info', 'response', 'responses', 'A response media type range was narrowed (e.g. application/* to application/json).'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const response of pair.responses.matched) {
        const status = response.revision.status;
        for (const media of response.content.removed) {
          reporter.report({ id: 'response-media-type-removed', operation: pair.label, message: `removed the media type '${media.name}' from the response ${status}`, base: media });
        }
        for (const media of response.content.added) {
          reporter.report({ id: 'response-media-type-added', operation: pair.label, message: `added the media type '${media.name}' to the response ${status}`, revision: media });
        }
        for (const media of response.content.matched) {
          if (!media.rename) continue;
          const id = {
            'parameters-changed': 'response-media-type-name-changed',
            generalized: 'response-media-type-name-generalized',
            specialized: 'response-media-type-name-specialized',
          }[media.rename];
          reporter.report({ id, operation: pair.label, message: `the media type of the response ${status} changed from '${media.base.name}' to '${media.revision.name}'`, base: media.base, revision: media.revision });
        }
      }
    }
  },
};
