/** Errors of a configuration: every problem with its file, JSON pointer and line. */

/** One problem in a configuration file. */
export interface ConfigIssue {
  file: string;
  pointer: string;
  line: number | undefined;
  message: string;
}

/** A configuration that cannot be used; `issues` lists every problem found, not only the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** `file:line: /pointer: message` — the form editors and CI logs link to. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}` : issue.file;
  return `${where}: ${issue.pointer || '/'}: ${issue.message}`;
}
