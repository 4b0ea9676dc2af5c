/** Reads policies/gateway.yaml, validates it against the schema and cross-checks references. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readSource, type SourceDocument } from '../contracts/source.js';
import { toPointer } from '../contracts/json-pointer.js';
import { checkConsumers } from '../gateway/policies/consumers/check-config.js';
import { checkRateLimits } from '../gateway/policies/rate-limit/check-config.js';
import { checkAddressList, checkIpRules } from '../gateway/policies/ip-rules/check-config.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';
import { checkIdentityProvider } from '../gateway/policies/jwt-auth/schema.js';
import { upstreamUrlProblem } from './upstream-url.js';
import { checkOwners } from '../admin/owners.js';
import { checkRegistryGovernance } from '../registry/check-governance-config.js';
import { checkTargets, checkUpstream } from '../gateway/upstreams/check-config.js';

/** The name of the main configuration file inside a config folder. */
export const CONFIG_FILE_NAME = 'gateway.yaml';

/** A validated configuration with where it came from. */
export interface LoadedConfig {
  file: string;
  dir: string;
  /** Absolute contracts folder. */
  contractsDir: string;
  config: GatewayConfig;
  /** The line of a JSON pointer in the file, for errors found after loading (a port in use). */
  lineOf(pointer: string): number | undefined;
}

// ajv-formats is CommonJS; its default export arrives as a namespace under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Compiles the config validator once per process call site (construction-time work). */
export function createConfigValidator(): (data: unknown) => ErrorObject[] {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(gatewayConfigSchema);
  return (data) => (validate(data) ? [] : [...(validate.errors ?? [])]);
}

function describeAjvError(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${String(params.missingProperty)}`, message: `required property "${String(params.missingProperty)}" is missing` };
    case 'additionalProperties':
      return { pointer: `${error.instancePath}/${String(params.additionalProperty)}`, message: `unknown property "${String(params.additionalProperty)}"` };
    case 'enum':
      return { pointer: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { pointer: error.instancePath, message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { pointer: error.instancePath, message: error.message ?? error.keyword };
  }
}

/** Resolves `--config` (a folder holding gateway.yaml, or the file itself). */
export function resolveConfigFile(pathOrDir: string): string {
  const abs = resolve(pathOrDir);
  if (existsSync(abs) && statSync(abs).isDirectory()) return join(abs, CONFIG_FILE_NAME);
  return abs;
}

function crossCheck(config: GatewayConfig, file: string, contractsDir: string, source: SourceDocument): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (segments: Array<string | number>, message: string): void => {
    const pointer = toPointer(segments);
    issues.push({ file, pointer, line: source.lineOf(pointer), message });
  };
  if (config.listen.forwardedHost !== undefined && config.listen.forwardClientHost) {
    at(['listen', 'forwardClientHost'], 'forwardClientHost cannot be combined with forwardedHost: choose the fixed host or the client\'s');
  }
  for (const issue of checkAddressList(config.listen.trustedProxies, ['listen', 'trustedProxies'])) at(issue.at, issue.message);
  if (config.listen.headersTimeoutMs > config.listen.requestTimeoutMs) {
    at(['listen', 'headersTimeoutMs'], `must not exceed listen.requestTimeoutMs (${config.listen.requestTimeoutMs}): the head is part of the request`);
  }
  const tls = config.listen.tls;
  if (tls) {
    if ((tls.key === undefined) !== (tls.cert === undefined)) at(['listen', 'tls', tls.key === undefined ? 'cert' : 'key'], 'key and cert are set together (both for an HTTPS listener, neither when TLS ends in front)');
    if (tls.key === undefined && tls.cert === undefined && tls.certificateHeader === undefined) {
      at(['listen', 'tls'], 'without key and cert the listener is plain HTTP: set certificateHeader to take client certificates from a trusted proxy, or key and cert to serve HTTPS');
    }
    if (tls.certificateHeader !== undefined && config.listen.trustedProxies.length === 0) {
      at(['listen', 'tls', 'certificateHeader'], 'a forwarded certificate is read only from listen.trustedProxies, and none is configured');
    }
  }
  const providerIds = new Set<string>();
  if (config.devIssuer.enabled) providerIds.add(config.devIssuer.id);
  config.identityProviders.forEach((p, i) => {
    if (providerIds.has(p.id)) at(['identityProviders', i, 'id'], `duplicate identity provider id "${p.id}"`);
    for (const issue of checkIdentityProvider(p)) {
      const pointer = `/identityProviders/${i}${issue.pointer}`;
      issues.push({ file, pointer, line: source.lineOf(pointer), message: issue.message });
    }
    providerIds.add(p.id);
  });
  const apiIds = new Set<string>();
  const basePaths = new Map<string, string>();
  config.apis.forEach((api, i) => {
    if (apiIds.has(api.id)) at(['apis', i, 'id'], `duplicate API id "${api.id}"`);
    apiIds.add(api.id);
    for (const [other, otherId] of basePaths) {
      if (other === api.basePath || other.startsWith(api.basePath + '/') || api.basePath.startsWith(other + '/')) {
        at(['apis', i, 'basePath'], `basePath "${api.basePath}" overlaps the basePath "${other}" of API "${otherId}"`);
      }
    }
    basePaths.set(api.basePath, api.id);
    if (['/healthz', '/readyz', '/metrics'].some((r) => api.basePath === r || api.basePath.startsWith(r + '/'))) {
      at(['apis', i, 'basePath'], `basePath "${api.basePath}" collides with a reserved gateway path`);
    }
    if (api.mtls && !tls) at(['apis', i, 'mtls'], 'client certificates need listen.tls (the CA bundle they are checked against)');
    api.auth?.providers.forEach((id, j) => {
      if (!providerIds.has(id)) at(['apis', i, 'auth', 'providers', j], `unknown identity provider "${id}" (declared: ${[...providerIds].join(', ') || 'none'})`);
    });
    if (api.upstream.url !== undefined) {
      const problem = upstreamUrlProblem(api.upstream.url);
      if (problem) at(['apis', i, 'upstream', 'url'], problem);
    }
    for (const issue of checkUpstream(api.upstream)) at(['apis', i, 'upstream', ...issue.at], issue.message);
    const apiHasUpstream = api.upstream.url !== undefined || api.upstream.targets !== undefined;
    const fromRegistry = config.registry.enabled;
    if (!fromRegistry && api.versions.length === 0) {
      at(source.lineOf(`/apis/${i}/versions`) !== undefined ? ['apis', i, 'versions'] : ['apis', i], 'no versions to serve: list at least one in versions, or serve the registry (registry.enabled)');
    }
    const seen = new Set<string>();
    api.versions.forEach((v, j) => {
      if (v.upstream !== undefined) {
        const problem = upstreamUrlProblem(v.upstream);
        if (problem) at(['apis', i, 'versions', j, 'upstream'], problem);
      }
      if (v.targets !== undefined) {
        if (v.upstream !== undefined) at(['apis', i, 'versions', j, 'targets'], 'set upstream (one URL) or targets (several), not both');
        for (const issue of checkTargets(v.targets)) at(['apis', i, 'versions', j, 'targets', ...issue.at], issue.message);
      }
      if (seen.has(v.version)) at(['apis', i, 'versions', j, 'version'], `version ${v.version} listed twice`);
      seen.add(v.version);
      if (!v.upstream && !v.targets && !apiHasUpstream) at(['apis', i, 'versions', j], `no upstream: set versions[${j}].upstream, versions[${j}].targets, upstream.url or upstream.targets`);
      // With the registry, a listed version may be registered rather than a file.
      if (!fromRegistry && !findContractFile(contractsDir, api.id, v.version)) {
        at(['apis', i, 'versions', j, 'version'], `contract not found: ${join(contractsDir, api.id, v.version)}.yaml (or .yml/.json)`);
      }
    });
  });
  for (const issue of checkConsumers(config)) at(issue.at, issue.message);
  for (const issue of checkRateLimits(config)) at(issue.at, issue.message);
  for (const issue of checkIpRules(config)) at(issue.at, issue.message);
  if (config.registry.enabled && config.registry.store === 'postgres' && !process.env.DATABASE_URL) {
    at(source.lineOf('/registry/store') !== undefined ? ['registry', 'store'] : ['registry'], 'the registry store is postgres but the environment variable DATABASE_URL is not set');
  }
  for (const issue of checkRegistryGovernance(config)) at(issue.at, issue.message);
  if (config.registry.ruleset !== undefined && !existsSync(resolve(dirname(file), config.registry.ruleset))) {
    at(['registry', 'ruleset'], `ruleset not found: ${resolve(dirname(file), config.registry.ruleset)}`);
  }
  const hooks = config.registry.webhooks;
  if (hooks.enabled) {
    if (!config.registry.enabled || !config.usage.enabled) at(['registry', 'webhooks', 'enabled'], 'lifecycle webhooks need registry.enabled and usage.enabled (they go to the consumers the usage records name)');
    if (hooks.secretFile !== undefined) {
      if (!existsSync(resolve(dirname(file), hooks.secretFile))) at(['registry', 'webhooks', 'secretFile'], `secret file not found: ${resolve(dirname(file), hooks.secretFile)}`);
    } else if (!process.env[hooks.secretEnv]) {
      at(source.lineOf('/registry/webhooks/secretEnv') !== undefined ? ['registry', 'webhooks', 'secretEnv'] : ['registry', 'webhooks', 'enabled'], `the webhook signing secret is not set: set the environment variable ${hooks.secretEnv}, or registry.webhooks.secretFile`);
    }
  }
  if (config.apiKeys.store === 'postgres' && !process.env[config.apiKeys.postgres.urlEnv]) {
    // Where the file says postgres: the line an operator must fix, or the variable to set.
    at(source.lineOf('/apiKeys/postgres/urlEnv') !== undefined ? ['apiKeys', 'postgres', 'urlEnv'] : ['apiKeys', 'store'], `the store is postgres but the environment variable ${config.apiKeys.postgres.urlEnv} is not set`);
  }
  if (!tls) {
    config.consumers.forEach((consumer, i) => {
      if (consumer.certificates.length > 0) at(['consumers', i, 'certificates'], 'certificate bindings need listen.tls (the CA bundle certificates are checked against)');
    });
  }
  config.admin.auth.providers.forEach((id, j) => {
    if (!providerIds.has(id)) at(['admin', 'auth', 'providers', j], `unknown identity provider "${id}" (declared: ${[...providerIds].join(', ') || 'none'})`);
  });
  for (const issue of checkOwners(config.admin.owners, config.admin.auth.providers)) at(issue.at, issue.message);
  return issues;
}

/** The contract file of an API version, or undefined when none exists. */
export function findContractFile(contractsDir: string, apiId: string, version: string): string | undefined {
  for (const ext of ['.yaml', '.yml', '.json']) {
    const candidate = join(contractsDir, apiId, version + ext);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Loads and validates a configuration. Throws ConfigError listing every problem with file,
 * pointer and line; SourceError (unusable input) when the file is missing or not YAML.
 */
export function loadConfig(pathOrDir: string, validate = createConfigValidator()): LoadedConfig {
  const file = resolveConfigFile(pathOrDir);
  const source: SourceDocument = readSource(file);
  const data = source.data;
  const errors = validate(data);
  if (errors.length > 0) {
    const seen = new Set<string>();
    const issues: ConfigIssue[] = [];
    for (const e of errors) {
      const { pointer, message } = describeAjvError(e);
      const key = `${pointer}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ file, pointer, line: source.lineOf(pointer), message });
    }
    throw new ConfigError(issues);
  }
  const config = data as GatewayConfig;
  const dir = dirname(file);
  const contractsDir = resolve(dir, config.contractsDir);
  const issues = crossCheck(config, file, contractsDir, source);
  if (issues.length > 0) throw new ConfigError(issues);
  return { file, dir, contractsDir, config, lineOf: (pointer) => source.lineOf(pointer) };
}
