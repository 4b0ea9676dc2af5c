/**
 * `accord check --admin-url`: asks a running gateway's admin API what the registry's breaking-change
 * policy of an API decides about a new version (the impact endpoint's `gate`), so a pull request
 * learns before registration which consumers its breaking change would break.
 */
import { readFileSync } from 'node:fs';
import type { OpenApiDocument } from '../contracts/openapi-document.js';
import type { BreakingChangeAnswer, BreakingChangeQuestion } from '../governance/check/index.js';
import { bundleDocument } from '../mock/bundle-document.js';
import { acceptanceNote, decisionFindings, type BreakingChangeDecision } from '../registry/breaking-change-gate.js';
import { adminPost } from './admin-request.js';
import { UsageError } from './exit-codes.js';

/** The document as the admin API takes it: the file itself, or one bundled JSON document when it `$ref`s other files. */
function documentText(revision: OpenApiDocument): { text: string; contentType: string } {
  if (revision.loadedFiles().length > 1) return { text: JSON.stringify(bundleDocument(revision)), contentType: 'application/json' };
  const text = readFileSync(revision.file, 'utf8');
  return { text, contentType: text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'application/json' : 'application/yaml' };
}

/** A judge of `check`'s breaking changes by the admin API at `base` (ACCORD_TOKEN); refusals and an unreachable listener exit 2. */
export function usageGateClient(base: URL): (question: BreakingChangeQuestion) => Promise<BreakingChangeAnswer | undefined> {
  return async ({ file, previous, revision }) => {
    const path = `/admin/apis/${encodeURIComponent(file.api)}/impact`;
    const answer = (await adminPost(base, path, { base: previous.version.text }, documentText(revision))) as { gate?: BreakingChangeDecision };
    const gate = answer.gate;
    if (gate === undefined) return undefined;
    if (typeof gate !== 'object' || gate === null || typeof gate.accepted !== 'boolean' || !Array.isArray(gate.consumers) || !Array.isArray(gate.reasons)) {
      throw new UsageError(`the admin listener at ${base.origin} answered an impact report without a readable gate verdict`);
    }
    if (gate.accepted) return { accepted: true, note: acceptanceNote(gate) };
    const line = revision.lineOf(revision.file, '/info/version');
    const location = { file: revision.file, pointer: '/info/version', ...(line !== undefined ? { line } : {}) };
    return { accepted: false, findings: decisionFindings(gate, `${file.api} ${previous.version.text} -> ${file.version.text}`, location) };
  };
}
