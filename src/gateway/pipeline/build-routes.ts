/**
 * Builds the routing table from a validated configuration: loads and compiles every served
 * contract once, and composes one handler per operation with the policies that apply to it.
 * Which policies apply, and in what order, is POLICY_ORDER's (pipeline/order.ts) alone.
 */
import type { Violation } from '../../contracts/compile/types.js';
import { compileContract, type CompiledOperation } from '../../contracts/compile/index.js';
import type { LoadedConfig } from '../../config/load-config.js';
import { LocatedError } from '../../errors/located-error.js';
import type { ApiConfig } from '../../config/schema.js';
import { createUpstreamProxy, type UpstreamProxy, type UpstreamFailure } from '../proxy/upstream-proxy.js';
import type { Logger } from '../../observability/logger.js';
import { UpstreamHeaderPolicy } from '../edge/upstream-headers.js';
import { UpstreamGroup } from '../upstreams/upstream-group.js';
import { NO_UPSTREAM_EVENTS, type UpstreamEventsFactory } from '../upstreams/upstream-events.js';
import type { ApiLabels, OperationLabels, RequestContext } from './request-context.js';
import { apiLogFields, operationLogFields } from '../../observability/access-log.js';
import { OperationTrie, PrefixTable } from '../routing/route-table.js';
import { servedContracts, type RegistrySnapshot } from './served-contracts.js';
import type { CompiledContracts } from './compiled-contracts.js';
import { ConsumerIndex } from '../policies/consumers/consumer-index.js';
import { POLICY_ORDER } from './order.js';
import { planOperationUsage, type OperationUsage } from '../../usage/operation-usage.js';
import { composeRequest, composeResponse } from './compose.js';
import { forwardStep } from './forward.js';
import type { ApiPolicy, PolicyDependencies, RequestStep, ResponseStep } from './policy.js';
import type { GatewayTracing } from '../../observability/tracing.js';

/**
 * A compiled operation ready to serve. `run` is terminal: it proxies, or throws (or rejects
 * with) a GatewayError. It returns a promise only when a step had to wait (a key fetch, the rate
 * limiter, a request body), so a request costs no more promise hops than its steps need.
 */
export interface OperationRoute extends OperationLabels {
  /** Names of the policies that added a step, in order (for `accord config validate` and tests). */
  readonly policies: readonly string[];
  run(ctx: RequestContext): Promise<void> | void;
}

/** One served API major: its prefix depth and its operations. */
export interface ServedVersion extends ApiLabels {
  readonly major: number;
  readonly prefix: string;
  readonly operations: OperationTrie<OperationRoute>;
}

/** Everything the data plane needs to route; built whole, then swapped in atomically. */
export interface RouteTable {
  readonly prefixes: PrefixTable<ServedVersion>;
  readonly served: readonly ServedVersion[];
  close(): void;
}

/** Dependencies the routes are built with (created once by the composition root). */
export interface RouteDependencies extends Omit<PolicyDependencies, 'dryRun'> {
  onResponseInvalid?: (ctx: RequestContext, mode: 'enforce' | 'report', violations: readonly Violation[]) => void;
  onUpstreamFailure?: (ctx: RequestContext, reason: UpstreamFailure) => void;
  /** Upstream attempts, retries, circuits, ejections and health, for metrics. */
  upstreamEvents?: UpstreamEventsFactory;
  /** Build only to check the configuration (`accord config validate`): no authenticator needed, never served. */
  dryRun?: boolean;
  /** Plan every operation's usage records (when usage recording is on). */
  recordUsage?: boolean;
  /** What the registry holds, when the gateway serves from it (else the configured contract files). */
  registry?: RegistrySnapshot;
  /** Registered contracts compiled by earlier tables (by digest). */
  compiled?: CompiledContracts;
  /** Counts a registered version left out of the table because it cannot be compiled or has no upstream. */
  onUnservableVersion?: (apiId: string, version: string) => void;
  /** Spans for the steps that wait and the upstream attempts, when tracing is on. */
  tracing?: GatewayTracing;
}

/**
 * Composes one operation's handler: each policy of POLICY_ORDER adds its steps (or none), the
 * proxy ends the chain, and the response steps unwind in reverse.
 */
function buildOperation(
  policies: ReadonlyArray<{ name: string; policy: ApiPolicy }>,
  api: ApiConfig,
  op: CompiledOperation,
  proxy: UpstreamProxy,
  config: LoadedConfig['config'],
  upstreamHeaders: UpstreamHeaderPolicy,
  usage: OperationUsage | undefined,
  tracing: GatewayTracing | undefined,
  prefix: string,
  excerpt: { logger: Logger; version: string },
): OperationRoute {
  const requestSteps: RequestStep[] = [];
  const stepNames: string[] = [];
  const responseSteps: ResponseStep[] = [];
  const names: string[] = [];
  for (const { name, policy } of policies) {
    const steps = policy.operation(op);
    if (!steps) continue;
    names.push(name);
    if (steps.request) {
      requestSteps.push(steps.request);
      stepNames.push(name);
    }
    if (steps.response) responseSteps.push(steps.response);
  }
  const terminal = forwardStep(api, op, config, proxy, upstreamHeaders, composeResponse(responseSteps), api.payloadExcerpts.enabled ? excerpt : undefined);
  const run = composeRequest(requestSteps, terminal, tracing ? { tracing, names: stepNames, terminalName: 'read-body' } : undefined);
  const route: OperationRoute = { template: op.pathTemplate, operationId: op.operationId, logFields: operationLogFields(op.pathTemplate, op.operationId), usage, policies: names, run };
  tracing?.describeRoute(route, prefix + op.pathTemplate);
  return route;
}

/**
 * Builds a whole routing table. Throws ContractError/SourceError (with file, pointer and line)
 * when a contract cannot be loaded or compiled; nothing is half-built.
 */
export function buildRouteTable(loaded: LoadedConfig, deps: RouteDependencies): RouteTable {
  const prefixes = new PrefixTable<ServedVersion>();
  const served: ServedVersion[] = [];
  const proxies: UpstreamProxy[] = [];
  const compiledPolicies: ApiPolicy[] = [];
  const listen = loaded.config.listen;
  // The forwarded client certificate is the gateway's to read, never the upstream's.
  const certificateHeader = listen.tls?.certificateHeader;
  const upstreamHeaders = new UpstreamHeaderPolicy({ ...listen, stripHeaders: certificateHeader ? [...listen.stripHeaders, certificateHeader] : listen.stripHeaders });
  const consumers = new ConsumerIndex(loaded.config.consumers);
  const policyDeps: PolicyDependencies = { ...deps, dryRun: deps.dryRun ?? false };
  const close = (): void => {
    for (const proxy of proxies) proxy.close();
    for (const policy of compiledPolicies) policy.close?.();
  };
  try {
    for (const api of loaded.config.apis) {
      const shared = new Map<string, unknown>();
      const perApi = <T>(key: string, make: () => T): T => {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as T;
      };
      for (const v of servedContracts(api, loaded, deps.registry)) {
        if (v.targets === undefined) {
          deps.logger.error({ api: api.id, version: v.version }, 'registered version not served: it has no upstream (list it in apis[].versions with its upstream or targets, or set apis[].upstream.url or targets)');
          deps.onUnservableVersion?.(api.id, v.version);
          continue;
        }
        // Sensitive fields are looked for only where payload excerpts will mask them; enum sites
        // only when usage is recorded (the values sent there are what they are for).
        const compileOptions = { undeclaredParameters: api.undeclaredParameters, ...(api.payloadExcerpts.enabled ? { sensitiveFields: true } : {}), ...(deps.recordUsage ? { enumSites: true } : {}) };
        let cached: ReturnType<CompiledContracts['get']> | undefined;
        try {
          cached = v.digest !== undefined && deps.compiled ? deps.compiled.get(v.digest, compileOptions, () => v.load()) : undefined;
        } catch (error) {
          // A registered version this build cannot compile (registered by another build, say) must not
          // take the whole table, and every restart, down with it: it is left out, loudly.
          if (!(error instanceof LocatedError)) throw error;
          deps.logger.error({ api: api.id, version: v.version, file: v.name, problem: error.message, pointer: error.pointer, line: error.line }, 'registered version not served: its contract cannot be compiled');
          deps.onUnservableVersion?.(api.id, v.version);
          continue;
        }
        const compiled = cached?.compiled ?? compileContract(v.load(), compileOptions);
        if (!cached || cached.fresh) for (const warning of compiled.warnings) deps.logger.warn({ api: api.id, version: v.version, file: v.name }, warning);
        const group = new UpstreamGroup({
          targets: v.targets,
          upstream: api.upstream,
          events: deps.upstreamEvents ? deps.upstreamEvents(api.id, v.version) : NO_UPSTREAM_EVENTS,
          logger: deps.logger,
          labels: { api: api.id, version: v.version },
          startHealthChecks: !deps.dryRun,
        });
        const proxy = createUpstreamProxy({
          group,
          timeoutMs: api.upstream.timeoutMs,
          connectTimeoutMs: api.upstream.connectTimeoutMs,
          firstByteTimeoutMs: api.upstream.firstByteTimeoutMs,
          responseValidation: api.responseValidation,
          maxResponseBytes: api.upstream.maxResponseBytes,
          logger: deps.logger,
          onResponseInvalid: deps.onResponseInvalid,
          onUpstreamFailure: deps.onUpstreamFailure,
          tracing: deps.tracing,
        });
        proxies.push(proxy);
        const major = v.semver.major;
        const scope = { api, version: v.version, major, file: v.name, config: loaded.config, consumers, perApi, lifecycle: v.lifecycle };
        const policies: Array<{ name: string; policy: ApiPolicy }> = [];
        for (const definition of POLICY_ORDER) {
          const policy = definition.create(scope, policyDeps);
          if (!policy) continue;
          policies.push({ name: definition.name, policy });
          compiledPolicies.push(policy);
        }
        const prefix = `${api.basePath}/v${major}`;
        const operations = new OperationTrie<OperationRoute>();
        for (const op of compiled.operations) {
          operations.add(op.method, op.pathTemplate, buildOperation(policies, api, op, proxy, loaded.config, upstreamHeaders, deps.recordUsage ? planOperationUsage(op, api.id, v.version, major) : undefined, deps.tracing, prefix, { logger: deps.logger, version: v.version }));
        }
        const entry: ServedVersion = { apiId: api.id, version: v.version, logFields: apiLogFields(api.id, v.version), major, prefix, operations };
        prefixes.add(prefix, entry);
        served.push(entry);
      }
    }
  } catch (error) {
    close();
    throw error;
  }
  return { prefixes, served, close };
}
