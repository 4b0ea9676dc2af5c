/** Checks of `registry.governance` beyond its schema: one policy entry per API, and usage records for block-if-used. */
import type { ConfigCheck, ConfigCheckIssue } from '../gateway/pipeline/config-check.js';

/** Duplicate per-API entries, and a `block-if-used` policy without usage records (it could never accept). */
export const checkRegistryGovernance: ConfigCheck = (config) => {
  const issues: ConfigCheckIssue[] = [];
  const governance = config.registry.governance;
  const seen = new Set<string>();
  governance.apis.forEach((entry, i) => {
    if (seen.has(entry.api)) issues.push({ at: ['registry', 'governance', 'apis', i, 'api'], message: `API "${entry.api}" has two governance entries` });
    seen.add(entry.api);
  });
  if (!config.registry.enabled || config.usage.enabled) return issues;
  if (governance.breakingChanges.mode === 'block-if-used') {
    issues.push({ at: ['registry', 'governance', 'breakingChanges', 'mode'], message: 'block-if-used judges breaking changes by the usage records: set usage.enabled: true' });
  }
  governance.apis.forEach((entry, i) => {
    if (entry.breakingChanges.mode === 'block-if-used') issues.push({ at: ['registry', 'governance', 'apis', i, 'breakingChanges', 'mode'], message: `block-if-used for API "${entry.api}" judges breaking changes by the usage records: set usage.enabled: true` });
  });
  return issues;
};
