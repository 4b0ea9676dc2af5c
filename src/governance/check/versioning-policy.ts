/** The versioning policy of the CI gate: its rule IDs and the findings it raises about contract versions. */
import type { OpenApiDocument } from '../../contracts/openapi-document.js';
import { isObject } from '../../contracts/openapi-document.js';
import type { Finding, Severity } from '../findings.js';
import type { ContractFile } from './contract-version.js';

/** Metadata of one policy rule (the same shape formatters take for any rule). */
export interface PolicyRule {
  id: string;
  severity: Severity;
  description: string;
}

/** A published version was changed: its file existed at the base with other content. */
export const EDITED_IN_PLACE = 'contract-version-edited-in-place';
/** A new version carries a breaking change but keeps the major version of the one it follows. */
export const BREAKING_WITHOUT_MAJOR = 'contract-breaking-change-without-major-bump';
/** A breaking change within the major that a usage-aware policy (block-if-used) refused: used, or not provably unused. */
export const BREAKING_IN_USE = 'contract-breaking-change-in-use';
/** `info.version` differs from the version in the file name. */
export const INFO_VERSION_MISMATCH = 'contract-info-version-mismatch';

/** Every policy rule of `accord check`, for SARIF and JUnit metadata; test/unit/check-versioning.test.ts pins the list. */
export const POLICY_RULES: readonly PolicyRule[] = Object.freeze([
  {
    id: EDITED_IN_PLACE,
    severity: 'error',
    description: 'A published contract version is immutable: any change must be published as a new version file.',
  },
  {
    id: BREAKING_WITHOUT_MAJOR,
    severity: 'error',
    description: 'A breaking change needs a new major version (a new minor while the major version is 0).',
  },
  {
    id: BREAKING_IN_USE,
    severity: 'error',
    description: 'Under registry.governance.breakingChanges block-if-used, a breaking change within the major passes only when the usage records show no consumer used what it breaks.',
  },
  {
    id: INFO_VERSION_MISMATCH,
    severity: 'error',
    description: 'info.version must equal the version in the contract file name.',
  },
]);

function at(doc: OpenApiDocument, pointer: string): Finding['location'] {
  const line = doc.lineOf(doc.file, pointer);
  return line === undefined ? { file: doc.file, pointer } : { file: doc.file, line, pointer };
}

/** `info.version` of the document must be the version its file name carries. */
export function checkInfoVersion(file: ContractFile, doc: OpenApiDocument): Finding[] {
  const info = doc.data.info;
  const declared = isObject(info) ? info.version : undefined;
  if (declared === file.version.text) return [];
  const shown = typeof declared === 'string' ? `"${declared}"` : 'missing';
  return [
    {
      id: INFO_VERSION_MISMATCH,
      severity: 'error',
      source: 'policy',
      message: `info.version is ${shown} but the file name says ${file.version.text}`,
      location: at(doc, isObject(info) && 'version' in info ? '/info/version' : '/info'),
    },
  ];
}

/** A file that existed at the base with other content was edited in place. */
export function editedInPlace(file: ContractFile, doc: OpenApiDocument, baseLabel: string): Finding {
  return {
    id: EDITED_IN_PLACE,
    severity: 'error',
    source: 'policy',
    message:
      `version ${file.version.text} of ${file.api} was changed, but it is already published at ${baseLabel}: ` +
      'publish the change as a new version file instead',
    location: at(doc, '/info/version'),
  };
}

/**
 * Whether the step from `previous` to `next` may carry breaking changes: a new major, or while
 * the major version is 0 a new minor (SemVer: 0.y.z is initial development).
 */
export function allowsBreakingChange(previous: ContractFile, next: ContractFile): boolean {
  if (next.version.major !== previous.version.major) return true;
  return next.version.major === 0 && next.version.minor !== previous.version.minor;
}

/** A new version with breaking changes over `previous` kept its major version. */
export function breakingWithoutMajor(file: ContractFile, previous: ContractFile, doc: OpenApiDocument, breaking: number): Finding {
  const next = file.version.major === 0 ? `0.${file.version.minor + 1}.0` : `${file.version.major + 1}.0.0`;
  return {
    id: BREAKING_WITHOUT_MAJOR,
    severity: 'error',
    source: 'policy',
    message:
      `${breaking} breaking change${breaking === 1 ? '' : 's'} from ${previous.version.text} to ${file.version.text} ` +
      `of ${file.api} without a new major version; publish it as ${next} or later`,
    location: at(doc, '/info/version'),
  };
}

/**
 * A breaking change within a step that allows it (a new major) is reported, not failed: it keeps
 * its ID and place, drops to `warn`, and says why it passes. Formats still call it breaking
 * because its check is breaking by default.
 */
export function acceptBreakingChange(finding: Finding, file: ContractFile): Finding {
  if (finding.severity !== 'error') return finding;
  return { ...finding, severity: 'warn', message: `${finding.message} (allowed: ${file.version.text} is a new major version)` };
}
