/**
 * Compiled registered contracts, kept across routing tables by digest: following the registry
 * rebuilds the table on every change, and only the versions that changed are compiled again.
 */
import { compileContract, type CompiledContract, type CompileOptions } from '../../contracts/compile/index.js';
import type { OpenApiDocument } from '../../contracts/openapi-document.js';

export class CompiledContracts {
  private entries = new Map<string, CompiledContract>();
  private used = new Set<string>();

  /** The compiled contract of `digest` with these options, compiling it on first use. */
  get(digest: string, options: CompileOptions, load: () => OpenApiDocument): { compiled: CompiledContract; fresh: boolean } {
    const key = `${digest} ${JSON.stringify(options)}`;
    this.used.add(key);
    const cached = this.entries.get(key);
    if (cached) return { compiled: cached, fresh: false };
    const compiled = compileContract(load(), options);
    this.entries.set(key, compiled);
    return { compiled, fresh: true };
  }

  /** Forgets what the last table built since the previous sweep did not use. */
  sweep(): void {
    for (const key of this.entries.keys()) if (!this.used.has(key)) this.entries.delete(key);
    this.used = new Set();
  }
}
