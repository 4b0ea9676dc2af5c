/**
 * The check every captured log line of the suite passes: no credential a test used (tokens minted,
 * keys issued, cookies and passwords sent), and nothing shaped like one (a JWT, an Accord key with
 * its secret, `Basic` + base64 credentials). The test gateway and the CLI runner apply it to what
 * they capture, so the test that produced a leaking line fails.
 */

/** Values the tests used as credentials; registered where they are made (test issuers, key issuance, test requests). */
const usedSecrets = new Set<string>();

/** Registers a credential a test uses, so that any log line holding it fails the test. Short values are ignored (too likely by chance). */
export function rememberSecret(value: string): string {
  if (value.length >= 8) usedSecrets.add(value);
  return value;
}

/** Shapes of credentials, whoever made them. */
const SHAPES: ReadonlyArray<[string, RegExp]> = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/],
  ['an Accord API key with its secret', /acc_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}/],
  ['Basic credentials', /\bBasic\s+[A-Za-z0-9+/]{8,}={0,2}/i],
];

/** The leaks of one line, described; empty when it is clean. */
export function leaksOf(line: string): string[] {
  const found: string[] = [];
  for (const [name, shape] of SHAPES) if (shape.test(line)) found.push(name);
  for (const secret of usedSecrets) if (line.includes(secret)) found.push(`a credential the test used (${secret.slice(0, 6)}…)`);
  return found;
}

/** Throws naming every leaking line. */
export function assertNoLeaks(lines: Iterable<string>, source: string): void {
  const leaking: string[] = [];
  for (const line of lines) {
    const leaks = leaksOf(line);
    if (leaks.length > 0) leaking.push(`${leaks.join(', ')} in: ${line.slice(0, 400)}`);
  }
  if (leaking.length > 0) throw new Error(`${source} logged credentials:\n${leaking.join('\n')}`);
}
