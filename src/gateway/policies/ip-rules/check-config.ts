/** Cross-field checks of ipRules (APIs and consumers): every entry an address or a CIDR range with no host bits set. */
import type { ConfigCheck, ConfigCheckIssue } from '../../pipeline/config-check.js';
import { parseCidr } from '../../edge/ip-address.js';
import type { IpRulesConfig } from './schema.js';

/** Issues of a list of addresses and ranges at `at`. */
export function checkAddressList(entries: readonly string[], at: Array<string | number>): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  entries.forEach((entry, j) => {
    const range = parseCidr(entry);
    if (typeof range === 'string') issues.push({ at: [...at, j], message: range });
  });
  return issues;
}

function checkRules(rules: IpRulesConfig | undefined, at: Array<string | number>): ConfigCheckIssue[] {
  if (rules === undefined) return [];
  return [...checkAddressList(rules.allow, [...at, 'allow']), ...checkAddressList(rules.deny, [...at, 'deny'])];
}

/** Issues of apis[].ipRules and consumers[].ipRules. */
export const checkIpRules: ConfigCheck = (config) => [
  ...config.apis.flatMap((api, i) => checkRules(api.ipRules, ['apis', i, 'ipRules'])),
  ...config.consumers.flatMap((consumer, i) => checkRules(consumer.ipRules, ['consumers', i, 'ipRules'])),
];
