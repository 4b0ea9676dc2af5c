/**
 * The sample outputs in README.md are what the code prints. Each sample is the fenced block after
 * an `<!-- sample: NAME -->` comment; a `$ command` first line is the command shown, not output;
 * a line `…` stands for lines left out (the lines before it must start the output, the lines
 * after it end it).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { runCli, startCli, waitForLine } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';
import { freePort, occupyPort } from '../support/free-port.js';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every marked sample of the README by name: its output lines (the `$` line removed). */
function samples(markdown: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const m of markdown.matchAll(/<!-- sample: ([a-z0-9-]+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)) {
    const lines = m[2]!.split('\n');
    found.set(m[1]!, lines[0]!.startsWith('$ ') ? lines.slice(1) : lines);
  }
  return found;
}

/** Asserts that `output` is what the sample shows, honouring a `…` line. */
function assertMatchesSample(output: string, sample: string[]): void {
  const lines = output.replace(/\n$/, '').split('\n');
  const gap = sample.indexOf('…');
  if (gap === -1) {
    assert.deepEqual(lines, sample);
    return;
  }
  const head = sample.slice(0, gap);
  const tail = sample.slice(gap + 1);
  assert.deepEqual(lines.slice(0, head.length), head, 'the lines before … start the output');
  assert.deepEqual(tail.length === 0 ? [] : lines.slice(-tail.length), tail, 'the lines after … end the output');
  assert.ok(lines.length > head.length + tail.length, 'the … stands for at least one line');
}

/** The bundled policies/gateway.yaml in `dir`/policies, same lines, contracts by absolute path, mock ports replaced. */
function copyPolicies(dir: string, ports: Map<string, number>): string {
  let yaml = readFileSync(join(ROOT, 'policies', 'gateway.yaml'), 'utf8').replace(/^contractsDir: .*$/m, `contractsDir: ${join(ROOT, 'contracts')}`);
  for (const [original, port] of ports) yaml = yaml.replaceAll(`http://127.0.0.1:${original}`, `http://127.0.0.1:${port}`);
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml);
  return join(dir, 'policies');
}

/** The loopback upstream ports of the bundled configuration, in order of appearance. */
function examplePorts(): string[] {
  return [...new Set([...readFileSync(join(ROOT, 'policies', 'gateway.yaml'), 'utf8').matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]!))];
}

describe('README samples', () => {
  const all = samples(README);

  it('the README marks the samples this test checks', () => {
    assert.deepEqual([...all.keys()].sort(), ['config-error', 'diff-orders', 'port-in-use', 'quick-start-curl']);
  });

  it('diff-orders: `accord diff` on the bundled orders contracts', () => {
    const result = runCli(['diff', 'contracts/orders/1.0.0.yaml', 'contracts/orders/2.0.0.yaml'], { cwd: ROOT });
    assert.equal(result.status, 1, result.stderr);
    assertMatchesSample(result.stdout, all.get('diff-orders')!);
  });

  it('config-error: the bundled configuration with an invalid responseValidation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-sample-'));
    try {
      const policies = copyPolicies(dir, new Map());
      const file = join(policies, 'gateway.yaml');
      const yaml = readFileSync(file, 'utf8');
      assert.match(yaml, /responseValidation: enforce/);
      writeFileSync(file, yaml.replace('responseValidation: enforce', 'responseValidation: strict'));
      const result = runCli(['config', 'validate', '--config', 'policies'], { cwd: dir });
      assert.equal(result.status, 1, result.stderr);
      assertMatchesSample(result.stdout, all.get('config-error')!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("port-in-use: `accord serve --mock-upstreams` while the first mock's port is taken", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-sample-'));
    const busy = await occupyPort();
    try {
      const [first, ...others] = examplePorts();
      const ports = new Map<string, number>([[first!, busy.port]]);
      for (const other of others) ports.set(other, await freePort());
      copyPolicies(dir, ports);
      const result = runCli(['serve', '--config', 'policies', '--mock-upstreams', '--port', '0', '--data-dir', join(dir, '.accord'), '--no-watch'], { cwd: dir });
      assert.equal(result.status, 2, result.stdout + result.stderr);
      // The sample shows the example's port; the test had to take a free one.
      assertMatchesSample(result.stderr.replaceAll(`port ${busy.port} `, `port ${first} `), all.get('port-in-use')!);
    } finally {
      await busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quick-start-curl: the Quick start request through the gateway and its mock upstream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-sample-'));
    const ports = new Map<string, number>();
    for (const original of examplePorts()) ports.set(original, await freePort());
    const policies = copyPolicies(dir, ports);
    const serve = startCli(['serve', '--config', policies, '--mock-upstreams', '--port', '0', '--data-dir', join(dir, '.accord'), '--no-watch'], { cwd: ROOT });
    try {
      const { url } = JSON.parse(await waitForLine(serve.lines, /"gateway listening"/)) as { url: string };
      const token = runCli(['token', '--client', 'acme', '--scope', 'orders:read', '--data-dir', join(dir, '.accord')], { cwd: ROOT });
      assert.equal(token.status, 0, token.stderr);
      const res = await rawRequest(url, 'GET', '/orders/v1/orders?limit=2', { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
      assert.equal(res.status, 200, res.text);
      assertMatchesSample(res.text, all.get('quick-start-curl')!);
    } finally {
      serve.child.kill('SIGTERM');
      if (serve.child.exitCode === null) await once(serve.child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
