/** Webhooks (OpenAPI 3.1) added or removed; changes inside a kept webhook are compared like operations. */
import { define, type DiffCheck } from '../check.js';

/** Reports added and removed webhooks. */
export const webhook: DiffCheck = {
  definitions: [
    define('webhook-added', 'info', 'none', 'webhooks', 'A webhook was added.'),
    define('webhook-removed', 'error', 'none', 'webhooks', 'A webhook was removed.'),
  ],
  run(comparison, reporter) {
    const name = (path: string): string => path.replace(/^webhook:/, '');
    for (const hook of comparison.webhooks.added) {
      reporter.report({ id: 'webhook-added', message: `added the webhook '${name(hook.path)}'`, revision: hook });
    }
    for (const hook of comparison.webhooks.removed) {
      reporter.report({ id: 'webhook-removed', message: `removed the webhook '${name(hook.path)}'`, base: hook });
    }
  },
};
