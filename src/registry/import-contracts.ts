/**
 * `serve`'s import on start: the contract files of the served APIs go through the same governance
 * path as a registration over the admin API, so files in git and registrations end up in one
 * registry with one history. What is already registered with the same bytes is left as it is.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from '../observability/logger.js';
import { listContractFiles } from './contract-folder.js';
import type { Actor } from './model.js';
import type { RegistrationResult } from './register-version.js';
import type { RegistryService } from './registry-service.js';

/** The actor of registrations made by the import on start. */
export const IMPORT_ACTOR: Actor = Object.freeze({ provider: 'accord', subject: 'import' });

/** One file's outcome. */
export interface ImportOutcome {
  readonly api: string;
  readonly version: string;
  readonly path: string;
  readonly result: RegistrationResult['kind'] | 'unreadable';
}

/**
 * Registers every `<api>/<version>` file of `dir` whose API is in `apis`, oldest version first. A
 * file governance rejects, or that differs from the version already registered, is logged and
 * skipped: the registry stays the truth, and the gateway serves what it holds.
 */
export async function importContracts(service: RegistryService, dir: string, apis: ReadonlySet<string>, logger: Logger): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  // An instance that only serves what others registered needs no contract files.
  if (!existsSync(dir)) {
    logger.info({ contractsDir: dir }, 'registry import: no contracts folder; serving what the registry holds');
    return outcomes;
  }
  for (const file of listContractFiles(dir)) {
    if (!apis.has(file.api)) continue;
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch (error) {
      logger.error({ file: file.path, err: { message: (error as Error).message } }, 'registry import: contract file unreadable; skipped');
      outcomes.push({ api: file.api, version: file.version, path: file.path, result: 'unreadable' });
      continue;
    }
    const result = await service.register({ api: file.api, document: text, actor: IMPORT_ACTOR });
    outcomes.push({ api: file.api, version: file.version, path: file.path, result: result.kind });
    const at = { api: file.api, version: file.version, file: file.path };
    switch (result.kind) {
      case 'created':
        logger.info({ ...at, warnings: result.findings.length }, 'registry import: version registered');
        break;
      case 'identical':
        break;
      case 'conflict':
        logger.error({ ...at, registered: result.record.digest }, 'registry import: the file differs from the version already registered (published versions are immutable); the registered one is served');
        break;
      case 'rejected':
        logger.error({ ...at, findings: result.findings.filter((f) => f.severity === 'error').map((f) => `${f.id} ${f.operation ?? ''} ${f.location ?? ''}`.trim()) }, 'registry import: governance rejected the file; not registered');
        break;
      case 'in-use':
        logger.error({ ...at, base: result.base, outcome: result.decision.outcome, consumers: result.decision.consumers.map((c) => c.id), reasons: result.decision.reasons }, 'registry import: breaking changes within the major refused by the usage gate (block-if-used); not registered');
        break;
      case 'invalid':
        logger.error({ ...at, problem: result.detail, pointer: result.pointer, line: result.line }, 'registry import: the file is not a usable contract; not registered');
        break;
    }
  }
  return outcomes;
}
