/** The OTEL_* variables read into tracing settings: off by default, each unusable value named. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tracingSettingsFromEnv, TracingSettingsError, type TracingSettings } from '../../src/observability/tracing-settings.js';

const DEFAULTS: TracingSettings = {
  exporter: 'otlp',
  endpoint: 'http://localhost:4318/v1/traces',
  headers: {},
  serviceName: 'accord',
  resourceAttributes: {},
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
  protobufRequested: false,
};

const OFF: Array<{ name: string; env: NodeJS.ProcessEnv }> = [
  { name: 'no variables', env: {} },
  { name: 'OTEL_TRACES_EXPORTER=none', env: { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } },
  { name: 'OTEL_SDK_DISABLED=true wins over an exporter', env: { OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' } },
  { name: 'only a service name', env: { OTEL_SERVICE_NAME: 'edge' } },
  { name: 'an empty exporter value', env: { OTEL_TRACES_EXPORTER: '  ' } },
];

const ON: Array<{ name: string; env: NodeJS.ProcessEnv; expected: Partial<TracingSettings> }> = [
  { name: 'otlp with the default endpoint', env: { OTEL_TRACES_EXPORTER: 'otlp' }, expected: {} },
  { name: 'console', env: { OTEL_TRACES_EXPORTER: 'console' }, expected: { exporter: 'console' } },
  { name: 'none beside otlp in a list', env: { OTEL_TRACES_EXPORTER: 'none,otlp' }, expected: {} },
  { name: 'a base endpoint alone turns otlp on and gets /v1/traces', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/' }, expected: { endpoint: 'https://collector.example:4318/v1/traces' } },
  {
    name: 'the traces endpoint is used as given and wins over the base one',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/custom' },
    expected: { endpoint: 'http://b:9999/custom' },
  },
  {
    name: 'headers: percent-decoded, the traces variable wins per key',
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20a,x-a=1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-a=2' },
    expected: { headers: { authorization: 'Bearer a', 'x-a': '2' } },
  },
  {
    name: 'service name from OTEL_SERVICE_NAME, over service.name in the resource attributes',
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'edge', OTEL_RESOURCE_ATTRIBUTES: 'service.name=other,team=api%2Cplatform' },
    expected: { serviceName: 'edge', resourceAttributes: { 'service.name': 'other', team: 'api,platform' } },
  },
  { name: 'service name from the resource attributes', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }, expected: { serviceName: 'from-attrs', resourceAttributes: { 'service.name': 'from-attrs' } } },
  { name: 'a ratio sampler with its argument', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, expected: { sampler: 'parentbased_traceidratio', samplerRatio: 0.25 } },
  { name: 'always_on', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'always_on' }, expected: { sampler: 'always_on' } },
  { name: 'http/protobuf is noted (sent as http/json)', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, expected: { protobufRequested: true } },
  { name: 'http/json for traces wins over a base protocol', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, expected: {} },
];

const INVALID: Array<{ name: string; env: NodeJS.ProcessEnv; message: string }> = [
  { name: 'an unknown exporter', env: { OTEL_TRACES_EXPORTER: 'zipkin' }, message: 'OTEL_TRACES_EXPORTER: "zipkin" is not supported (otlp, console or none)' },
  { name: 'two exporters', env: { OTEL_TRACES_EXPORTER: 'otlp,console' }, message: 'OTEL_TRACES_EXPORTER: one exporter is supported, got "otlp,console"' },
  { name: 'an endpoint that is not a URL', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }, message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "collector:4318" is not an http or https URL' },
  { name: 'a base endpoint that is not a URL', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'no url' }, message: 'OTEL_EXPORTER_OTLP_ENDPOINT: "no url/v1/traces" is not a URL' },
  { name: 'a header without =', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'authorization' }, message: 'OTEL_EXPORTER_OTLP_HEADERS: "authorization" is not key=value' },
  { name: 'a header with broken percent-encoding', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'a=%zz' }, message: 'OTEL_EXPORTER_OTLP_HEADERS: the value of "a" is not valid percent-encoding' },
  { name: 'an unknown sampler', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'jaeger_remote' }, message: 'OTEL_TRACES_SAMPLER: "jaeger_remote" is not supported (always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)' },
  { name: 'a ratio above 1', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, message: 'OTEL_TRACES_SAMPLER_ARG: "1.5" is not a ratio from 0 to 1' },
  { name: 'grpc', env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, message: 'OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported (http/json; http/protobuf is sent as http/json)' },
];

describe('tracing settings from OTEL_* variables', () => {
  for (const scenario of OFF) {
    it(`off: ${scenario.name}`, () => {
      assert.equal(tracingSettingsFromEnv(scenario.env), undefined);
    });
  }
  for (const scenario of ON) {
    it(`on: ${scenario.name}`, () => {
      assert.deepEqual(tracingSettingsFromEnv(scenario.env), { ...DEFAULTS, ...scenario.expected });
    });
  }
  for (const scenario of INVALID) {
    it(`refused: ${scenario.name}`, () => {
      assert.throws(
        () => tracingSettingsFromEnv(scenario.env),
        (error: unknown) => error instanceof TracingSettingsError && error.message === scenario.message && error.code === 'TRACING_SETTINGS_INVALID',
      );
    });
  }
});
