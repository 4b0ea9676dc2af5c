/**
 * Builds the routing table from a validated configuration: loads and compiles every served
 * contract once, and composes one handler per operation with the policies that apply to it.
 * The steps follow the data-plane order of DESIGN.md; `buildOperation` defines them last step
 * first (each step calls the next), numbered 1 (authentication) to 4 (validation and proxy).
 */
import { loadOpenApi, ContractError } from '../../contracts/openapi-document.js';
import { compileContract, isJwtScheme, type CompiledOperation } from '../../contracts/compile/index.js';
import { findContractFile, type LoadedConfig } from '../../config/load-config.js';
import type { ApiConfig } from '../../config/schema.js';
import { GatewayError } from '../../errors/problem.js';
import type { Logger } from '../../observability/logger.js';
import { compileScopeCheck, type JwtAuthenticator, type Principal, type ScopeRequirement } from '../policies/jwt-auth/index.js';
import { createRateLimit, rateLimitKey, type RateLimit } from '../policies/rate-limit/index.js';
import { createUpstreamProxy, type UpstreamProxy, type ResponseChecker, type UpstreamFailure } from '../proxy/upstream-proxy.js';
import { prepareUpstreamHeaders, UpstreamHeaderPolicy } from '../edge/upstream-headers.js';
import { hasBody, readBody } from './read-body.js';
import type { ApiLabels, OperationLabels, RequestContext } from './request-context.js';
import { apiLogFields, operationLogFields } from '../../observability/access-log.js';
import { OperationTrie, PrefixTable } from '../routing/route-table.js';
import { compareSemVer, parseSemVer, type SemVer } from '../../governance/check/contract-version.js';

/**
 * A compiled operation ready to serve. `run` is terminal: it proxies, or throws (or rejects
 * with) a GatewayError. It returns a promise only when a step had to wait (a key fetch, the rate
 * limiter, a request body), so a request costs no more promise hops than its steps need.
 */
export interface OperationRoute extends OperationLabels {
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
export interface RouteDependencies {
  logger: Logger;
  authenticator: JwtAuthenticator | undefined;
  onResponseInvalid?: (ctx: RequestContext, mode: 'enforce' | 'report') => void;
  onUpstreamFailure?: (ctx: RequestContext, reason: UpstreamFailure) => void;
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

/**
 * The JWT scope requirements of an operation; undefined when it allows anonymous access. Of the
 * alternatives of its `security`, those whose every scheme takes a JWT are enforced (the compiled
 * contract's warnings name the schemes left aside); an operation none of whose alternatives the
 * gateway can enforce is refused at load, naming the scheme, rather than asking callers for a
 * credential the contract never asked for.
 */
function scopeRequirements(op: CompiledOperation, file: string): ScopeRequirement[] | undefined {
  const security = op.security;
  if (!security || security.length === 0) return undefined;
  if (security.some((requirement) => requirement.length === 0)) return undefined;
  const enforceable = security.filter((requirement) => requirement.every(isJwtScheme));
  if (enforceable.length === 0) {
    const scheme = security.flat().find((s) => !isJwtScheme(s))!;
    const kind = scheme.type === 'http' ? `http ${scheme.httpScheme || '(no scheme)'}` : scheme.type;
    throw new ContractError(
      'CONTRACT_INVALID',
      scheme.location.file || file,
      scheme.location.pointer,
      `operation ${op.method} ${op.pathTemplate}: security scheme "${scheme.scheme}" (${kind}) is not enforced by the gateway, and no alternative is (supported: oauth2, openIdConnect, http bearer)`,
      scheme.location.line,
    );
  }
  return enforceable.map((requirement) => requirement.map((s) => ({ scheme: s.scheme, scopes: s.scopes })));
}

function buildOperation(
  api: ApiConfig,
  op: CompiledOperation,
  file: string,
  proxy: UpstreamProxy,
  rateLimit: RateLimit | undefined,
  config: LoadedConfig['config'],
  deps: RouteDependencies,
  upstreamHeaders: UpstreamHeaderPolicy,
): OperationRoute {
  const requirements = scopeRequirements(op, file);
  if (requirements && !api.auth) {
    throw new ContractError('CONTRACT_INVALID', file, `/paths/${op.pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/security`, `operation ${op.method} ${op.pathTemplate} requires a token but API "${api.id}" has no auth.providers configured`);
  }
  const authenticator = requirements ? deps.authenticator : undefined;
  if (requirements && !authenticator && !deps.dryRun) throw new TypeError('an authenticator is required for APIs with auth');
  const checkScopes = requirements ? compileScopeCheck(requirements) : undefined;
  const providers = api.auth?.providers ?? [];
  const validate = api.requestValidation;
  const maxBody = config.listen.maxBodyBytes;
  const forwardAuthorization = api.upstream.forwardAuthorization;
  const checkResponse: ResponseChecker | undefined =
    api.responseValidation === 'off' ? undefined : (status, contentType, body) => op.checkResponse(status, contentType, body);

  // The steps in data-plane order. Each calls the next directly when it needs no I/O.

  // 4. Request validation against the compiled contract, then the proxy (terminal).
  const validateAndForward = (ctx: RequestContext): void => {
    const { req } = ctx;
    if (validate) {
      const verdict = op.checkRequest({ pathParams: ctx.pathParams!, rawQuery: ctx.rawQuery!, headers: req.headers, body: ctx.body });
      if (!verdict.ok) throw new GatewayError(verdict.code, verdict.detail, { errors: verdict.violations });
    } else if (ctx.body !== undefined) {
      // Framing rules hold without contract validation: no body where the operation takes none,
      // and no encoded body that would reach the upstream as other bytes than were admitted.
      const refusal = op.checkFraming({ pathParams: ctx.pathParams!, rawQuery: ctx.rawQuery!, headers: req.headers, body: ctx.body });
      if (refusal && !refusal.ok) throw new GatewayError(refusal.code, refusal.detail, { errors: refusal.violations });
    }
    prepareUpstreamHeaders(req.headers, {
      forwardedFor: ctx.forwardedFor,
      proto: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
      host: req.headers.host,
      requestId: ctx.requestId,
      traceparent: ctx.traceparent,
      consumerId: ctx.consumerId,
      forwardAuthorization,
      contentLength: ctx.body ? ctx.body.length : undefined,
    }, upstreamHeaders);
    proxy.forward(ctx, checkResponse);
  };

  // 3. The request body, buffered up to the limit so that it can be validated and sent on intact.
  const readBodyThen = (ctx: RequestContext): Promise<void> | void => {
    if (!hasBody(ctx.req)) return validateAndForward(ctx);
    return readBody(ctx.req, maxBody, ctx.res).then((body) => {
      ctx.body = body;
      validateAndForward(ctx);
    });
  };

  // 2. Rate limit per consumer (or per client address for anonymous operations).
  const limitThen = rateLimit
    ? (ctx: RequestContext): Promise<void> => rateLimit.consume(rateLimitKey(ctx.consumerId, ctx.clientIp), ctx.res).then(() => readBodyThen(ctx))
    : readBodyThen;

  // 1. JWT authentication, consumer resolution, then the scopes the contract requires.
  const authorised = (ctx: RequestContext, principal: Principal): Promise<void> | void => {
    ctx.consumerId = principal.consumerId;
    checkScopes!(principal);
    return limitThen(ctx);
  };
  const run =
    authenticator && checkScopes
      ? (ctx: RequestContext): Promise<void> | void => {
          const verified = authenticator.authenticate(ctx.req.headers.authorization, providers);
          if (verified instanceof Promise) return verified.then((principal) => authorised(ctx, principal));
          return authorised(ctx, verified);
        }
      : limitThen;

  return { template: op.pathTemplate, operationId: op.operationId, logFields: operationLogFields(op.pathTemplate, op.operationId), run };
}

/**
 * Builds a whole routing table. Throws ContractError/SourceError (with file, pointer and line)
 * when a contract cannot be loaded or compiled; nothing is half-built.
 */
export function buildRouteTable(loaded: LoadedConfig, deps: RouteDependencies): RouteTable {
  const prefixes = new PrefixTable<ServedVersion>();
  const served: ServedVersion[] = [];
  const proxies: UpstreamProxy[] = [];
  const upstreamHeaders = new UpstreamHeaderPolicy(loaded.config.listen);
  try {
    for (const api of loaded.config.apis) {
      const rateLimit = api.rateLimit ? (deps.createRateLimit ?? createRateLimit)(api.id, api.rateLimit) : undefined;
      for (const v of servedVersions(api)) {
        const file = findContractFile(loaded.contractsDir, api.id, v.version);
        if (!file) throw new ContractError('CONTRACT_NOT_OPENAPI', `${loaded.contractsDir}/${api.id}/${v.version}.yaml`, '', 'contract file not found');
        const doc = loadOpenApi(file);
        const compiled = compileContract(doc, { undeclaredParameters: api.undeclaredParameters });
        for (const warning of compiled.warnings) deps.logger.warn({ api: api.id, version: v.version, file }, warning);
        const target = v.upstream ?? api.upstream.url!;
        const proxy = createUpstreamProxy({
          target,
          timeoutMs: api.upstream.timeoutMs,
          responseValidation: api.responseValidation,
          maxResponseBytes: api.upstream.maxResponseBytes,
          logger: deps.logger,
          onResponseInvalid: deps.onResponseInvalid,
          onUpstreamFailure: deps.onUpstreamFailure,
        });
        proxies.push(proxy);
        const major = v.semver.major;
        const prefix = `${api.basePath}/v${major}`;
        const operations = new OperationTrie<OperationRoute>();
        for (const op of compiled.operations) {
          operations.add(op.method, op.pathTemplate, buildOperation(api, op, file, proxy, rateLimit, loaded.config, deps, upstreamHeaders));
        }
        const entry: ServedVersion = { apiId: api.id, version: v.version, logFields: apiLogFields(api.id, v.version), major, prefix, operations };
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
