/** Exit codes of every `accord` command (the command-line contract). */
export const EXIT_OK = 0;
/** The check ran and found problems at or above the threshold. */
export const EXIT_FINDINGS = 1;
/** Unusable input or usage: missing file, not YAML/JSON, not OpenAPI, bad flag. */
export const EXIT_USAGE = 2;

/** Raised by a command for unusable input; the CLI prints `accord: <message>` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
