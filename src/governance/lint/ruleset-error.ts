/** Why a ruleset could not be loaded, located by file, JSON pointer and line. */

/** A ruleset that cannot be used: missing, not YAML/JSON, or rejected by Spectral's validation. */
export class RulesetError extends Error {
  readonly code: 'RULESET_NOT_FOUND' | 'RULESET_SYNTAX' | 'RULESET_INVALID';
  readonly file: string;
  /** JSON pointer inside `file` ('' for the whole file). */
  readonly pointer: string;
  readonly line: number | undefined;

  constructor(code: RulesetError['code'], file: string, pointer: string, message: string, line?: number) {
    super(message);
    this.name = 'RulesetError';
    this.code = code;
    this.file = file;
    this.pointer = pointer;
    this.line = line;
  }

  /** One line for a terminal: `file:line (#pointer): message`. */
  describe(): string {
    const where = this.line ? `${this.file}:${this.line}` : this.file;
    return `${where}${this.pointer ? ` (#${this.pointer})` : ''}: ${this.message}`;
  }
}
