/** The CLI's `--local` registry: the store opened in this process, changes made as the local user. */
import { userInfo } from 'node:os';
import type { Actor } from './model.js';
import type { RegistryClient, ChangeResult } from './registry-client.js';
import type { RegistryService, RetireOutcome } from './registry-service.js';
import type { ChangeOutcome } from './store/registry-store.js';
import type { LifecycleResult } from './lifecycle.js';

/** The actor of local changes: the operating-system user, under provider `local`. */
export function localActor(): Actor {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return { provider: 'local', subject: name };
}

function changeResult(outcome: ChangeOutcome | LifecycleResult | RetireOutcome, api: string, version: string): ChangeResult {
  switch (outcome.kind) {
    case 'in-use':
      return { kind: 'refused', detail: `${api} ${version} was called by ${outcome.consumers.map((c) => c.consumer).join(', ')} in the last ${outcome.windowDays} day(s); retire it with --force --reason to override` };
    case 'changed':
      return outcome;
    case 'not-found':
      return { kind: 'refused', detail: `${api} ${version} is not registered` };
    case 'wrong-state':
      return { kind: 'refused', detail: `${api} ${version} is ${outcome.record.status}` };
    case 'invalid':
      return { kind: 'refused', detail: outcome.detail };
  }
}

export function localRegistryClient(service: RegistryService, actor: Actor = localActor()): RegistryClient {
  return {
    async register(api, document, overrideReason) {
      const result = await service.register({ api, document, actor, overrideReason });
      if (result.kind === 'conflict') return { kind: 'conflict', detail: `${api} ${result.record.version} is already registered with other content (${result.record.digest})` };
      if (result.kind === 'in-use') return { kind: 'rejected', findings: result.findings };
      if (result.kind === 'invalid') return { kind: 'invalid', detail: result.line !== undefined ? `line ${result.line}: ${result.detail}` : result.detail };
      return result;
    },
    list: (api) => service.list(api),
    show: (api, version) => service.show(api, version),
    diff: (api, base, revision) => service.diff(api, base, revision),
    deprecate: async (api, version, deprecation) => changeResult(await service.deprecate(api, version, deprecation, actor), api, version),
    retire: async (api, version, options) => changeResult(await service.retire(api, version, actor, options), api, version),
    audit: (query) => service.audit(query),
    close: () => service.store.close(),
  };
}
