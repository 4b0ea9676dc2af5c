/**
 * Two processes register the same version at the same moment (`accord contracts register --local`,
 * run side by side): with different content exactly one wins (exit 0) and the other is refused as
 * a conflict (exit 2); with the same content both succeed, one stored and one identical. Run on the
 * file store (one data directory) and on PostgreSQL (one schema).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CLI } from '../support/cli.js';
import { DATABASE_URL, postgresSkip, uniqueName } from '../support/services.js';

const SHOP_V1 = readFileSync(join(import.meta.dirname, '..', 'integration', 'fixtures', 'gateway', 'shop-1.0.0.yaml'), 'utf8');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking, so that two runs overlap. */
function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function race(store: 'file' | 'postgres', schema?: string): void {
  const dir = mkdtempSync(join(tmpdir(), `accord-race-${store}-`));
  const env: Record<string, string> = store === 'postgres' ? { DATABASE_URL, ACCORD_REGISTRY_SCHEMA: schema! } : {};
  const connection = store === 'postgres' ? ['--local', '--store', 'postgres'] : ['--local', '--data-dir', join(dir, 'data')];
  const write = (name: string, text: string): string => {
    mkdirSync(join(dir, name), { recursive: true });
    const file = join(dir, name, 'shop.yaml');
    writeFileSync(file, text);
    return file;
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one of two different documents for one version win', async () => {
    const a = write('a', SHOP_V1);
    const b = write('b', SHOP_V1.replace('title: Shop', 'title: Shop B'));
    const runs = await Promise.all([run(['contracts', 'register', a, '--api', 'race', ...connection], env), run(['contracts', 'register', b, '--api', 'race', ...connection], env)]);
    const statuses = runs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [0, 2], runs.map((r) => r.stdout + r.stderr).join('\n'));
    const loser = runs.find((r) => r.status === 2)!;
    assert.match(loser.stderr, /already registered with other content/);
    const list = await run(['contracts', 'audit', '--api', 'race', '--format', 'json', ...connection], env);
    assert.equal(list.status, 0, list.stderr);
    const entries = (JSON.parse(list.stdout) as { entries: unknown[] }).entries;
    assert.equal(entries.length, 1, 'one registration, one audit entry');
  });

  it('stores once and answers identical to the other when both send the same document', async () => {
    const a = write('c', SHOP_V1.replace('version: 1.0.0', 'version: 1.1.0'));
    const runs = await Promise.all([run(['contracts', 'register', a, '--api', 'race', ...connection], env), run(['contracts', 'register', a, '--api', 'race', ...connection], env)]);
    assert.deepEqual(runs.map((r) => r.status), [0, 0], runs.map((r) => r.stdout + r.stderr).join('\n'));
    const texts = runs.map((r) => r.stdout).join('\n');
    assert.match(texts, /stored race 1\.1\.0/);
    assert.match(texts, /already registered with this content/);
  });
}

describe('concurrent registrations from two processes: file store', () => race('file'));

const skip = await postgresSkip();
describe('concurrent registrations from two processes: PostgreSQL', { skip }, () => {
  const schema = uniqueName('accord_race');
  after(async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  race('postgres', schema);
});
