/** `accord serve` with tracing from OTEL_* variables: an unusable value exits 2; SIGTERM flushes the spans. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { runCli, startCli, waitForLine } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';
import { freePort } from '../support/free-port.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The bundled example configuration in `dir`, with free ports for its mock upstreams. */
async function examplePolicies(dir: string): Promise<string> {
  let yaml = readFileSync(join(ROOT, 'policies', 'gateway.yaml'), 'utf8').replace(/^contractsDir: .*$/m, `contractsDir: ${join(ROOT, 'contracts')}`);
  for (const original of new Set([...yaml.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]!))) {
    yaml = yaml.replaceAll(`http://127.0.0.1:${original}`, `http://127.0.0.1:${await freePort()}`);
  }
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml);
  return join(dir, 'policies');
}

describe('accord serve: tracing from OTEL_* variables', () => {
  const refused: Array<{ name: string; env: Record<string, string>; stderr: string }> = [
    {
      name: 'an unknown sampler',
      env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'bogus' },
      stderr: 'accord: OTEL_TRACES_SAMPLER: "bogus" is not supported (always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)\n',
    },
    { name: 'an unsupported exporter', env: { OTEL_TRACES_EXPORTER: 'jaeger' }, stderr: 'accord: OTEL_TRACES_EXPORTER: "jaeger" is not supported (otlp, console or none)\n' },
  ];
  for (const c of refused) {
    it(`exits 2 with one line naming the variable: ${c.name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'accord-otel-'));
      try {
        const policies = await examplePolicies(dir);
        const result = runCli(['serve', '--config', policies, '--data-dir', join(dir, '.accord'), '--port', '0', '--no-watch'], { cwd: ROOT, env: c.env });
        assert.equal(result.status, 2, result.stdout + result.stderr);
        assert.equal(result.stderr, c.stderr);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('exports to an OTLP/HTTP receiver and flushes the last spans on SIGTERM', async () => {
    const bodies: Array<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; kind: number; traceId: string }> }> }> }> = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof bodies)[number]);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'accord-otel-'));
    const policies = await examplePolicies(dir);
    // A long batch delay: only the SIGTERM flush can deliver the spans in time.
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'accord-e2e', OTEL_BSP_SCHEDULE_DELAY: '600000' };
    const serve = startCli(['serve', '--config', policies, '--mock-upstreams', '--data-dir', dir, '--port', '0', '--no-watch'], { cwd: ROOT, env });
    try {
      const listening = JSON.parse(await waitForLine(serve.lines, /"gateway listening"/)) as { url: string };
      assert.ok(serve.lines.some((l) => /"tracing enabled"/.test(l) && l.includes(`${endpoint}/v1/traces`)), serve.lines.join('\n'));
      const token = runCli(['token', '--client', 'acme', '--scope', 'orders:read', '--data-dir', dir], { cwd: ROOT });
      assert.equal(token.status, 0, token.stderr);
      const trace = '0af7651916cd43dd8448eb211c80319c';
      const ok = await rawRequest(listening.url, 'GET', '/orders/v1/orders?limit=2', { headers: { authorization: `Bearer ${token.stdout.trim()}`, traceparent: `00-${trace}-b7ad6b7169203331-01` } });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(bodies.length, 0);
      serve.child.kill('SIGTERM');
      const [code] = (await once(serve.child, 'exit')) as [number | null];
      assert.equal(code, 0);
      const spans = bodies.flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))).filter((s) => s.traceId === trace);
      assert.deepEqual(spans.filter((s) => s.kind !== 1).map((s) => [s.kind, s.name]).sort(), [
        [2, 'GET /orders/v1/orders'],
        [3, 'GET'],
      ]);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
