/** Base of every error about a file: config, contract, source and ruleset errors carry file, JSON pointer and line. */

/** An error located in a file; subclasses add a literal `code` union. */
export abstract class LocatedError extends Error {
  readonly file: string;
  /** JSON pointer inside `file` ('' for the whole file, undefined when not known). */
  readonly pointer: string | undefined;
  /** 1-based line, when known. */
  readonly line: number | undefined;

  protected constructor(name: string, file: string, message: string, pointer?: string, line?: number) {
    super(message);
    this.name = name;
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
