/**
 * Builds the routing table from a validated configuration: loads and compiles every served
 * contract once, and composes one handler per operation with the policies that apply to it.
 * The order of the steps is the data-plane order of DESIGN.md, read top to bottom in `run`.
 */
import { loadOpenApi, ContractError } from '../../contracts/openapi-document.js';
import { compileContract, type CompiledOperation } from '../../contracts/compile/index.js';
import { findContractFile, type LoadedConfig } from '../../config/load-config.js';
import type { ApiConfig } from '../../config/schema.js';
import { GatewayError } from '../../errors/problem.js';
import type { Logger } from '../../observability/logger.js';
import { checkScopes, type JwtAuthenticator, type ScopeRequirement } from '../policies/jwt-auth/index.js';
import { createRateLimit, type RateLimit } from '../policies/rate-limit/index.js';
import { createUpstreamProxy, type UpstreamProxy, type ResponseChecker } from '../proxy/upstream-proxy.js';
import { prepareUpstreamHeaders } from '../edge/upstream-headers.js';
import { hasBody, readBody } from './read-body.js';
import type { RequestContext } from './request-context.js';
import { OperationTrie, PrefixTable } from '../routing/route-table.js';
import { compareSemVer, parseSemVer, type SemVer } from '../../governance/check/contract-version.js';

/** A compiled operation ready to serve: `run` is terminal (it proxies or throws a GatewayError). */
export interface OperationRoute {
  readonly apiId: string;
  readonly version: string;
  readonly template: string;
  readonly operationId: string | undefined;
  run(ctx: RequestContext, params: Record<string, string>, rawQuery: string, upstreamPath: string): Promise<void>;
}

/** One served API major: its prefix depth and its operations. */
export interface ServedVersion {
  readonly apiId: string;
  readonly version: string;
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
export interface RouteDependencies {
  logger: Logger;
  authenticator: JwtAuthenticator | undefined;
  onResponseInvalid?: (ctx: RequestContext, mode: 'enforce' | 'report') => void;
  /** Build only to check the configuration (`accord config validate`): no authenticator needed, never served. */
  dryRun?: boolean;
  /** Rate limit factory; the default keeps counters in memory. */
  createRateLimit?: (apiId: string, config: NonNullable<ApiConfig['rateLimit']>) => RateLimit;
}

/** The highest configured version of each major of an API. */
export function servedVersions(api: ApiConfig): Array<ApiConfig['versions'][number] & { semver: SemVer }> {
  const byMajor = new Map<number, ApiConfig['versions'][number] & { semver: SemVer }>();
  for (const v of api.versions) {
    // The config schema only admits semver, so parsing cannot fail here.
    const semver = parseSemVer(v.version)!;
    const current = byMajor.get(semver.major);
    if (!current || compareSemVer(semver, current.semver) > 0) byMajor.set(semver.major, { ...v, semver });
  }
  return [...byMajor.values()].sort((a, b) => compareSemVer(a.semver, b.semver));
}

const JWT_SCHEME_TYPES = new Set(['oauth2', 'openIdConnect', 'http']);

/** The JWT scope requirements of an operation; undefined when it allows anonymous access. */
function scopeRequirements(op: CompiledOperation, file: string): ScopeRequirement[] | undefined {
  const security = op.security;
  if (!security || security.length === 0) return undefined;
  if (security.some((requirement) => requirement.length === 0)) return undefined;
  for (const requirement of security) {
    for (const scheme of requirement) {
      if (!JWT_SCHEME_TYPES.has(scheme.type)) {
        throw new ContractError('CONTRACT_INVALID', file, '/components/securitySchemes/' + scheme.scheme, `security scheme "${scheme.scheme}" of type ${scheme.type} is not enforced by the gateway (supported: oauth2, openIdConnect, http bearer)`);
      }
    }
  }
  return security.map((requirement) => requirement.map((s) => ({ scheme: s.scheme, scopes: s.scopes })));
}

function buildOperation(
  api: ApiConfig,
  version: string,
  op: CompiledOperation,
  file: string,
  proxy: UpstreamProxy,
  rateLimit: RateLimit | undefined,
  config: LoadedConfig['config'],
  deps: RouteDependencies,
): OperationRoute {
  const requirements = scopeRequirements(op, file);
  if (requirements && !api.auth) {
    throw new ContractError('CONTRACT_INVALID', file, `/paths/${op.pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/security`, `operation ${op.method} ${op.pathTemplate} requires a token but API "${api.id}" has no auth.providers configured`);
  }
  const authenticator = requirements ? deps.authenticator : undefined;
  if (requirements && !authenticator && !deps.dryRun) throw new TypeError('an authenticator is required for APIs with auth');
  const providers = api.auth?.providers ?? [];
  const validate = api.requestValidation;
  const maxBody = config.listen.maxBodyBytes;
  const forwardAuthorization = api.upstream.forwardAuthorization;
  const checkResponse: ResponseChecker | undefined =
    api.responseValidation === 'off' ? undefined : (status, contentType, body) => op.checkResponse(status, contentType, body);

  return {
    apiId: api.id,
    version,
    template: op.pathTemplate,
    operationId: op.operationId,
    async run(ctx, params, rawQuery, upstreamPath) {
      const { req, res } = ctx;
      // JWT authentication, consumer resolution, then the scopes the contract requires.
      if (authenticator && requirements) {
        const verified = authenticator.authenticate(req.headers.authorization, providers);
        const principal = verified instanceof Promise ? await verified : verified;
        ctx.consumerId = principal.consumerId;
        checkScopes(principal, requirements);
      }
      // Rate limit per consumer (or per client address for anonymous operations).
      if (rateLimit) {
        const headers = await rateLimit.consume(ctx.consumerId ?? `ip:${ctx.clientIp}`);
        for (const name in headers) res.setHeader(name, headers[name]!);
      }
      // Request validation against the compiled contract.
      if (hasBody(req)) ctx.body = await readBody(req, maxBody);
      if (validate) {
        const verdict = op.checkRequest({ pathParams: params, rawQuery, headers: req.headers, body: ctx.body });
        if (!verdict.ok) throw new GatewayError(verdict.code, verdict.detail, { errors: verdict.violations });
      }
      // Proxy (terminal).
      prepareUpstreamHeaders(req.headers, {
        forwardedFor: ctx.forwardedFor,
        proto: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
        host: req.headers.host,
        requestId: ctx.requestId,
        traceparent: ctx.traceparent,
        consumerId: ctx.consumerId,
        forwardAuthorization,
        contentLength: ctx.body ? ctx.body.length : undefined,
      });
      ctx.upstreamPath = upstreamPath;
      req.url = upstreamPath;
      proxy.forward(req, res, checkResponse);
    },
  };
}

/**
 * Builds a whole routing table. Throws ContractError/SourceError (with file, pointer and line)
 * when a contract cannot be loaded or compiled; nothing is half-built.
 */
export function buildRouteTable(loaded: LoadedConfig, deps: RouteDependencies): RouteTable {
  const prefixes = new PrefixTable<ServedVersion>();
  const served: ServedVersion[] = [];
  const proxies: UpstreamProxy[] = [];
  try {
    for (const api of loaded.config.apis) {
      const rateLimit = api.rateLimit ? (deps.createRateLimit ?? createRateLimit)(api.id, api.rateLimit) : undefined;
      for (const v of servedVersions(api)) {
        const file = findContractFile(loaded.contractsDir, api.id, v.version);
        if (!file) throw new ContractError('CONTRACT_NOT_OPENAPI', `${loaded.contractsDir}/${api.id}/${v.version}.yaml`, '', 'contract file not found');
        const doc = loadOpenApi(file);
        const compiled = compileContract(doc);
        for (const warning of compiled.warnings) deps.logger.warn({ api: api.id, version: v.version, file }, warning);
        const target = v.upstream ?? api.upstream.url!;
        const proxy = createUpstreamProxy({
          target,
          timeoutMs: api.upstream.timeoutMs,
          responseValidation: api.responseValidation,
          maxResponseBytes: api.upstream.maxResponseBytes,
          logger: deps.logger,
          onResponseInvalid: deps.onResponseInvalid,
        });
        proxies.push(proxy);
        const major = v.semver.major;
        const prefix = `${api.basePath}/v${major}`;
        const operations = new OperationTrie<OperationRoute>();
        for (const op of compiled.operations) {
          operations.add(op.method, op.pathTemplate, buildOperation(api, v.version, op, file, proxy, rateLimit, loaded.config, deps));
        }
        const entry: ServedVersion = { apiId: api.id, version: v.version, major, prefix, operations };
        prefixes.add(prefix, entry);
        served.push(entry);
      }
    }
  } catch (error) {
    for (const proxy of proxies) proxy.close();
    throw error;
  }
  return {
    prefixes,
    served,
    close() {
      for (const proxy of proxies) proxy.close();
    },
  };
}
