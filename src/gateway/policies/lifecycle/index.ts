/**
 * The lifecycle policy (registry-served versions only): a retired version answers 410
 * VERSION_RETIRED naming its successor; a deprecated one answers with Deprecation, Sunset and a
 * successor Link on every response past this step, and each of its calls is counted per consumer.
 * With `registry.autoRetire`, a deprecated version is refused from its sunset on, without waiting
 * for the registry's periodic retirement to land. A published version adds no step.
 */
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../../../errors/problem.js';
import type { Policy, RequestStep, ResponseStep } from '../../pipeline/policy.js';
import type { ServedLifecycle } from '../../pipeline/served-contracts.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { deprecationFields, successorLink, type DeprecationFields } from './lifecycle-fields.js';

/** The consumer label of a deprecated call: a declared consumer's id, else whether the caller was identified. */
export function deprecatedCallConsumer(ctx: RequestContext): string {
  if (ctx.consumer) return ctx.consumer.id;
  return ctx.consumerId !== undefined ? '(undeclared)' : '(anonymous)';
}

function retired(apiId: string, version: string, lifecycle: ServedLifecycle): GatewayError {
  const successor = lifecycle.successor;
  return new GatewayError('VERSION_RETIRED', `${apiId} ${version} is retired${successor ? `: move to ${successor.version}, served at ${successor.path}` : ''}`, {
    headers: successor ? { link: successorLink(successor) } : {},
    extensions: { version, ...(successor ? { successor: successor.version, successorPath: successor.path } : {}) },
  });
}

/** Sets the fields, keeping an upstream's own Link values beside the gateway's. */
function announce(res: ServerResponse, fields: DeprecationFields): void {
  res.setHeader('deprecation', fields.deprecation);
  if (fields.sunset !== undefined) res.setHeader('sunset', fields.sunset);
  if (fields.link !== undefined) {
    const existing = res.getHeader('link');
    if (existing === undefined) res.setHeader('link', fields.link);
    else {
      const values = (Array.isArray(existing) ? existing : [String(existing)]).filter((v) => v !== fields.link);
      res.setHeader('link', [...values, fields.link]);
    }
  }
}

export const lifecycle: Policy = {
  name: 'lifecycle',
  create(scope, deps) {
    const state = scope.lifecycle;
    if (!state || state.status === 'published') return undefined;
    const apiId = scope.api.id;
    const version = scope.version;
    if (state.status === 'retired') {
      const request: RequestStep = () => {
        throw retired(apiId, version, state);
      };
      return { operation: () => ({ request }) };
    }
    const now = deps.now ?? Date.now;
    const fields = deprecationFields(state, now);
    const sunsetMs = state.sunset !== undefined ? Date.parse(state.sunset) : Number.POSITIVE_INFINITY;
    const retiresAtSunset = scope.config.registry.autoRetire.enabled && Number.isFinite(sunsetMs);
    const onCall = deps.onDeprecatedCall;
    const request: RequestStep = (ctx) => {
      if (retiresAtSunset && now() >= sunsetMs) throw retired(apiId, version, state);
      announce(ctx.res, fields);
      onCall?.(apiId, version, deprecatedCallConsumer(ctx));
    };
    // The upstream's answer replaced the response's fields: announce again, the gateway's word last.
    const response: ResponseStep = (ctx) => announce(ctx.res, fields);
    const steps = { request, response };
    return { operation: () => steps };
  },
};
