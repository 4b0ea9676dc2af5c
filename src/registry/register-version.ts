/**
 * Registers a contract version: parse the document, refuse what is unusable, keep published
 * versions immutable (identical content is idempotent, other content is a conflict), run the
 * governance gate against the version it follows, and store it with its audit entry.
 */
import { createHash } from 'node:crypto';
import type { Ruleset } from '@stoplight/spectral-core';
import { loadOpenApi, isObject, type OpenApiDocument } from '../contracts/openapi-document.js';
import { compileContract } from '../contracts/compile/index.js';
import { LocatedError } from '../errors/located-error.js';
import type { Finding } from '../governance/findings.js';
import { compareSemVer, parseSemVer, previousVersion, type ContractFile } from '../governance/check/contract-version.js';
import type { LintInput } from '../governance/lint/index.js';
import { acceptUnusedBreakingChanges, blockedOnlyByBreakingChanges, runGovernanceGate, type GateVerdict } from './governance-gate.js';
import { BREAKING_WITHOUT_MAJOR } from '../governance/check/versioning-policy.js';
import { acceptanceNote, auditedImpact, decisionFindings, describeDecision, type AuditedImpact, type BreakingChangeDecision, type BreakingChangeJudge } from './breaking-change-gate.js';
import type { Actor, VersionRecord } from './model.js';
import type { RegistryStore } from './store/registry-store.js';

/** API ids: the same pattern as `apis[].id` in the gateway configuration. */
export const API_ID = /^[a-z][a-z0-9-]{0,62}$/;

/** A registration request. */
export interface Registration {
  readonly api: string;
  /** The OpenAPI document, YAML or JSON, self-contained (no `$ref` to other files). */
  readonly document: string;
  readonly actor: Actor;
  /** Publish even if governance rejects it; recorded in the audit log. */
  readonly overrideReason?: string;
}

/** What became of a registration. */
export type RegistrationResult =
  | { readonly kind: 'created'; readonly record: VersionRecord; readonly findings: readonly Finding[]; readonly overridden: boolean }
  | { readonly kind: 'identical'; readonly record: VersionRecord }
  | { readonly kind: 'conflict'; readonly record: VersionRecord }
  | { readonly kind: 'rejected'; readonly version: string; readonly findings: readonly Finding[] }
  /** Breaking changes within the major that the usage gate refused: used, or not provably unused. */
  | { readonly kind: 'in-use'; readonly version: string; readonly base: string; readonly decision: BreakingChangeDecision; readonly findings: readonly Finding[] }
  | { readonly kind: 'invalid'; readonly detail: string; readonly pointer?: string; readonly line?: number };

/** The virtual file name of a registered document (errors and findings name it). */
export function registeredName(api: string, version: string | undefined, format: 'yaml' | 'json'): string {
  return `${api}/${version ?? 'unversioned'}.${format}`;
}

function formatOf(text: string): 'yaml' | 'json' {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' ? 'json' : 'yaml';
}

/** The pointer of the first `$ref` that leaves the document, if any (the walk is iterative: nesting is bounded at parse). */
function externalRef(data: unknown): { pointer: string; ref: string } | undefined {
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: data, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop()!;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, pointer: `${pointer}/${i}` }));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) return { pointer: at, ref: child };
        stack.push({ value: child, pointer: at });
      }
    }
  }
  return undefined;
}

/** A registered document refers to another file: the registry holds single, self-contained documents. */
class ExternalReference extends Error {
  constructor(readonly pointer: string, readonly line: number | undefined, ref: string) {
    super(`the document refers to another file ($ref "${ref}"): register one self-contained document (bundle it first, e.g. with \`redocly bundle\`)`);
  }
}

/** Loads a registered document; every `$ref` outside it is refused. */
function loadRegistered(name: string, text: string): OpenApiDocument {
  const document = loadOpenApi(name, {
    text,
    reader: (file) => {
      throw new Error(`the document refers to another file (${file})`);
    },
  });
  const external = externalRef(document.data);
  if (external) throw new ExternalReference(external.pointer, document.lineOf(document.file, external.pointer), external.ref);
  return document;
}

/** What a registration judged breaking changes within the major on, when a usage gate did. */
interface UsageVerdict {
  readonly verdict: GateVerdict;
  readonly decision?: { readonly base: string; readonly decision: BreakingChangeDecision; readonly impact: AuditedImpact };
}

/**
 * Registers one version. Only store failures throw; every input problem is a result. `judge`:
 * the usage gate of APIs whose policy is `block-if-used` (without one, every policy blocks).
 */
export async function registerVersion(store: RegistryStore, ruleset: Ruleset, request: Registration, now: Date = new Date(), judge?: BreakingChangeJudge): Promise<RegistrationResult> {
  if (!API_ID.test(request.api)) return { kind: 'invalid', detail: `API id "${request.api}" must match ${API_ID.source}` };
  const format = formatOf(request.document);
  let document: OpenApiDocument;
  try {
    document = loadRegistered(registeredName(request.api, undefined, format), request.document);
  } catch (error) {
    if (error instanceof LocatedError || error instanceof ExternalReference) return { kind: 'invalid', detail: error.message, pointer: error.pointer, line: error.line };
    return { kind: 'invalid', detail: (error as Error).message };
  }
  const info = document.data.info;
  const versionText = isObject(info) && typeof info.version === 'string' ? info.version : undefined;
  const version = versionText !== undefined ? parseSemVer(versionText) : undefined;
  if (!version || !versionText) {
    return { kind: 'invalid', detail: `info.version must be a semantic version (MAJOR.MINOR.PATCH), got ${versionText === undefined ? 'none' : `"${versionText}"`}`, pointer: '/info/version', line: document.lineOf(document.file, '/info/version') };
  }
  const digest = `sha256:${createHash('sha256').update(request.document, 'utf8').digest('hex')}`;
  const existing = await store.get(request.api, versionText);
  if (existing) return { kind: existing.digest === digest ? 'identical' : 'conflict', record: existing };

  // Reloaded under its versioned name, so that findings name `<api>/<version>.<ext>`.
  const name = registeredName(request.api, versionText, format);
  const candidateDocument = loadRegistered(name, request.document);
  // What the gateway could not compile, it could not serve: refused here, not at the next routing table.
  try {
    compileContract(candidateDocument);
  } catch (error) {
    if (error instanceof LocatedError) return { kind: 'invalid', detail: `the gateway cannot serve this contract: ${error.message}`, pointer: error.pointer, line: error.line };
    throw error;
  }
  const candidate: { file: ContractFile; input: LintInput } = { file: { path: name, api: request.api, version }, input: { file: name, path: name, document: candidateDocument } };
  const versions = (await store.list()).filter((v) => v.api === request.api && v.status !== 'retired');
  const files = versions.map((v): ContractFile => ({ path: registeredName(v.api, v.version, v.format), api: v.api, version: parseSemVer(v.version)! }));
  const before = previousVersion(candidate.file, files);
  let previous: { file: ContractFile; document: OpenApiDocument } | undefined;
  if (before) {
    const text = await store.document(request.api, before.version.text);
    if (text !== undefined) previous = { file: before, document: loadRegistered(before.path, text) };
  }
  const gated = await judgeUse(await runGovernanceGate(ruleset, { candidate, previous }, now), judge, request.api, previous, { version: versionText, document: candidateDocument });
  const verdict = gated.verdict;
  const overridden = verdict.blocking && request.overrideReason !== undefined && request.overrideReason.trim() !== '';
  if (verdict.blocking && !overridden) {
    if (gated.decision) {
      const subject = `${request.api} ${gated.decision.base} -> ${versionText}`;
      const line = candidateDocument.lineOf(name, '/info/version');
      const gateFindings = decisionFindings(gated.decision.decision, subject, { file: name, pointer: '/info/version', ...(line !== undefined ? { line } : {}) });
      // The refusal replaces "needs a new major": it says who uses the change, or why that is unknown.
      const findings = [...gateFindings, ...verdict.findings.filter((f) => f.id !== BREAKING_WITHOUT_MAJOR)];
      return { kind: 'in-use', version: versionText, base: gated.decision.base, decision: gated.decision.decision, findings };
    }
    return { kind: 'rejected', version: versionText, findings: verdict.findings };
  }

  const record: VersionRecord = { api: request.api, version: versionText, status: 'published', digest, format, publishedAt: now.toISOString() };
  const outcome = await store.put(record, request.document, {
    at: now.toISOString(),
    actor: request.actor,
    action: 'register',
    api: request.api,
    version: versionText,
    digest,
    governance: gated.decision ? { ...verdict.summary, impact: gated.decision.impact } : verdict.summary,
    ...(overridden ? { overrideReason: request.overrideReason!.trim() } : {}),
  });
  // Another process may have registered the same version between the check and the write.
  if (outcome.kind !== 'created') return { kind: outcome.kind, record: outcome.record };
  return { kind: 'created', record: outcome.record, findings: verdict.findings, overridden };
}

/**
 * Under `block-if-used`, asks the judge about breaking changes within the major when nothing else
 * blocks; an accepted change drops to `warn`. Other policies, and other blocking findings, leave the
 * verdict as it is (lint errors are fixed first; the usage gate waives only breaking changes).
 */
async function judgeUse(
  verdict: GateVerdict,
  judge: BreakingChangeJudge | undefined,
  api: string,
  previous: { file: ContractFile; document: OpenApiDocument } | undefined,
  revision: { version: string; document: OpenApiDocument },
): Promise<UsageVerdict> {
  if (!judge || !previous || !blockedOnlyByBreakingChanges(verdict) || judge.policy(api).mode !== 'block-if-used') return { verdict };
  const base = previous.file.version.text;
  const { report, decision } = await judge.judge({ api, base: { version: base, document: previous.document }, revision, findings: verdict.breakingWithinMajor });
  const judged = { base, decision, impact: auditedImpact(base, decision, report) };
  if (!decision.accepted) return { verdict, decision: judged };
  return { verdict: acceptUnusedBreakingChanges(verdict, acceptanceNote(decision)), decision: judged };
}

/** One line on a usage gate's decision (admin answers and logs). */
export function describeUsageDecision(api: string, version: string, base: string, decision: BreakingChangeDecision): string {
  return describeDecision(decision, `${api} ${base} -> ${version}`);
}

/** Orders versions newest first (for listings). */
export function newestFirst(a: VersionRecord, b: VersionRecord): number {
  return compareSemVer(parseSemVer(b.version)!, parseSemVer(a.version)!);
}
