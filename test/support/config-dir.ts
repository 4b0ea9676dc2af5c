/** A configuration folder written for one test (policies/gateway.yaml beside contracts/orders/1.0.0.yaml), and the issues loading it raises. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError, type ConfigIssue } from '../../src/config/config-error.js';

/** The smallest contract `orders` 1.0.0 can be served from. */
export const EMPTY_ORDERS_CONTRACT = 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n';

/** Writes `yaml` as policies/gateway.yaml and `contract` as contracts/orders/1.0.0.yaml; returns the policies folder. */
export function configDir(yaml: string, contract = EMPTY_ORDERS_CONTRACT): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-cfg-'));
  mkdirSync(join(dir, 'policies'));
  mkdirSync(join(dir, 'contracts', 'orders'), { recursive: true });
  writeFileSync(join(dir, 'contracts', 'orders', '1.0.0.yaml'), contract);
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml);
  return join(dir, 'policies');
}

/** The issues of a configuration that must not load (the test fails if it loads). */
export function configIssues(yaml: string, contract?: string): ConfigIssue[] {
  try {
    loadConfig(configDir(yaml, contract));
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

/** The smallest gateway config serving `orders` 1.0.0, to which a test appends the section it is about. */
export const ORDERS_CONFIG = 'version: 1\napis:\n  - id: orders\n    basePath: /orders\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:4011\n';

/** A configuration folder of ORDERS_CONFIG followed by `extra` (top-level sections). */
export function ordersConfigDir(extra: string): string {
  return configDir(ORDERS_CONFIG + extra);
}

/** Asserts that ORDERS_CONFIG + `yaml` does not load, with an issue at `pointer` on `line` whose message matches. */
export function assertConfigIssue(yaml: string, expected: { pointer: string; line: number; message: RegExp }): void {
  const issues = configIssues(ORDERS_CONFIG + yaml);
  const issue = issues.find((i) => i.pointer === expected.pointer);
  assert.ok(issue, `no issue at ${expected.pointer}: ${JSON.stringify(issues)}`);
  assert.match(issue.message, expected.message);
  assert.equal(issue.line, expected.line);
}
