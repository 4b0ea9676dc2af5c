/**
 * Reads the tracing settings from the standard OpenTelemetry environment variables (OTEL_*), once
 * at start. Tracing is off unless an exporter is named or an OTLP endpoint is given.
 */

/** Where finished spans go. */
export type TracesExporterKind = 'otlp' | 'console';

/** Which traces are recorded (the OTEL_TRACES_SAMPLER values). */
export type SamplerKind = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

/** Tracing as the environment asks for it. */
export interface TracingSettings {
  readonly exporter: TracesExporterKind;
  /** The full OTLP/HTTP traces URL (…/v1/traces). */
  readonly endpoint: string;
  /** Extra headers of every export request (authentication to a collector, say). */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: SamplerKind;
  /** The ratio of the traceidratio samplers, from 0 to 1. */
  readonly samplerRatio: number;
  /** Set when OTEL_EXPORTER_OTLP(_TRACES)_PROTOCOL asked for http/protobuf: the exporter speaks http/json. */
  readonly protobufRequested: boolean;
}

/** An OTEL_* variable with a value the gateway cannot use; `accord serve` exits 2 with its message. */
export class TracingSettingsError extends Error {
  readonly code = 'TRACING_SETTINGS_INVALID';
}

const SAMPLERS: ReadonlySet<string> = new Set(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']);

/** The default OTLP/HTTP traces endpoint of the specification. */
const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/traces';

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `key1=value1,key2=value2` with percent-encoded values (the W3C Baggage form the spec uses for both variables). */
function keyValueList(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const raw = value(env, name);
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const member of raw.split(',')) {
    if (member.trim() === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) throw new TracingSettingsError(`${name}: "${member.trim()}" is not key=value`);
    const key = member.slice(0, eq).trim();
    let decoded: string;
    try {
      decoded = decodeURIComponent(member.slice(eq + 1).trim());
    } catch {
      throw new TracingSettingsError(`${name}: the value of "${key}" is not valid percent-encoding`);
    }
    out[key] = decoded;
  }
  return out;
}

function url(name: string, raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new TracingSettingsError(`${name}: "${raw}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TracingSettingsError(`${name}: "${raw}" is not an http or https URL`);
  return parsed.href;
}

function exporterOf(env: NodeJS.ProcessEnv, hasEndpoint: boolean): TracesExporterKind | undefined {
  const raw = value(env, 'OTEL_TRACES_EXPORTER');
  // Off by default: the specification's default (otlp) would make every gateway try to reach a
  // collector on localhost; an endpoint given alone is taken as the wish to export there.
  if (raw === undefined) return hasEndpoint ? 'otlp' : undefined;
  const names = raw.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  const chosen = names.filter((n) => n !== 'none');
  if (chosen.length === 0) return undefined;
  if (chosen.length > 1) throw new TracingSettingsError(`OTEL_TRACES_EXPORTER: one exporter is supported, got "${raw}"`);
  const name = chosen[0]!;
  if (name === 'otlp' || name === 'console') return name;
  throw new TracingSettingsError(`OTEL_TRACES_EXPORTER: "${name}" is not supported (otlp, console or none)`);
}

function protocolOf(env: NodeJS.ProcessEnv): boolean {
  const name = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = value(env, name);
  if (raw === undefined || raw === 'http/json') return false;
  if (raw === 'http/protobuf') return true;
  throw new TracingSettingsError(`${name}: "${raw}" is not supported (http/json; http/protobuf is sent as http/json)`);
}

/**
 * The tracing the environment asks for, or undefined when tracing is off (no exporter, `none`, or
 * OTEL_SDK_DISABLED=true). Throws TracingSettingsError naming the variable when a value is unusable.
 */
export function tracingSettingsFromEnv(env: NodeJS.ProcessEnv): TracingSettings | undefined {
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const tracesEndpoint = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const exporter = exporterOf(env, tracesEndpoint !== undefined || baseEndpoint !== undefined);
  if (exporter === undefined) return undefined;
  // The signal-specific URL is used as given; the base one gets the signal's path appended (spec).
  const endpoint = tracesEndpoint
    ? url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint)
    : baseEndpoint
      ? url('OTEL_EXPORTER_OTLP_ENDPOINT', baseEndpoint.replace(/\/+$/, '') + '/v1/traces')
      : DEFAULT_ENDPOINT;
  const headers = { ...keyValueList(env, 'OTEL_EXPORTER_OTLP_HEADERS'), ...keyValueList(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') };
  const resourceAttributes = keyValueList(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const serviceName = value(env, 'OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? 'accord';
  const samplerName = (value(env, 'OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on').toLowerCase();
  if (!SAMPLERS.has(samplerName)) throw new TracingSettingsError(`OTEL_TRACES_SAMPLER: "${samplerName}" is not supported (${[...SAMPLERS].join(', ')})`);
  let samplerRatio = 1;
  const arg = value(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (samplerName.endsWith('traceidratio') && arg !== undefined) {
    samplerRatio = Number(arg);
    if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) throw new TracingSettingsError(`OTEL_TRACES_SAMPLER_ARG: "${arg}" is not a ratio from 0 to 1`);
  }
  return { exporter, endpoint, headers, serviceName, resourceAttributes, sampler: samplerName as SamplerKind, samplerRatio, protobufRequested: protocolOf(env) };
}
