/**
 * The ip-rules policy: refuses clients whose address an API's ipRules do not admit (403
 * IP_NOT_ALLOWED), before any credential is looked at. Consumers' own ipRules are checked by the
 * consumers policy once the consumer is known.
 */
import { GatewayError } from '../../../errors/problem.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import { AddressRules } from './address-rules.js';

export { ipRulesSchema, type IpRulesConfig } from './schema.js';
export { AddressRules } from './address-rules.js';
export { checkIpRules, checkAddressList } from './check-config.js';

export const ipRules: Policy = {
  name: 'ip-rules',
  create(scope) {
    const config = scope.api.ipRules;
    // Rules that refuse nobody add no step.
    if (config === undefined || (config.allow.length === 0 && config.deny.length === 0)) return undefined;
    // Every served major of the API shares one compiled list.
    const rules = scope.perApi('ip-rules', () => new AddressRules(config));
    const apiId = scope.api.id;
    const request: RequestStep = (ctx) => {
      if (!rules.admits(ctx.clientIp, ctx.clientIpFamily)) {
        throw new GatewayError('IP_NOT_ALLOWED', `the client address ${ctx.clientIp} may not call API "${apiId}"`);
      }
    };
    const steps = { request };
    return { operation: () => steps };
  },
};
