/** Why a ruleset could not be loaded, located by file, JSON pointer and line. */

import { LocatedError } from '../../errors/located-error.js';

/** A ruleset that cannot be used: missing, not YAML/JSON, or rejected by Spectral's validation. */
export class RulesetError extends LocatedError {
  readonly code: 'RULESET_NOT_FOUND' | 'RULESET_SYNTAX' | 'RULESET_INVALID';
  /** JSON pointer inside `file` ('' for the whole file). */
  declare readonly pointer: string;

  constructor(code: RulesetError['code'], file: string, pointer: string, message: string, line?: number) {
    super('RulesetError', file, message, pointer, line);
    this.code = code;
  }
}
