/**
 * Maps a diff finding onto what the gateway can observe: for each operation it reaches, either a
 * fingerprint location (`query:status`, `header:idempotency-key`, `body:/lineItems/STAR/sku`) that
 * hurt consumers send (`sent`) or fail to send (`missing`), or only the operation itself.
 */
import type { AffectedPlace, Finding } from '../governance/findings.js';
import type { ContractIndex } from './contract-index.js';

/** Why evidence stops at the operation, or what a reader of the report should know. */
export const NOTES = {
  response: 'response-side change: the gateway sees that the consumer calls the operation, not which response fields it reads',
  enum: 'the base contract does not list the values this change concerns, so the values sent are not recorded: the consumer sends this field, but whether it sends an affected value is unknown',
  pathParameter: 'path parameters are sent by every call; the values sent are not recorded',
  undeclared: 'the parameter is not declared in the base contract, and the gateway records declared parameters only',
  unmapped: 'the usage fingerprint does not record what this check concerns, so every caller of the operation is listed',
  mediaType: 'the media type a body is sent as is not recorded',
  noOperation: 'the change is not tied to one operation, so the report cannot name its consumers; read it in the diff',
} as const;

/** What a change asks of a consumer's fingerprint. */
export type Target =
  /** Every caller of the operation is affected as far as the gateway can tell. */
  | { readonly kind: 'operation'; readonly note?: string }
  /**
   * Callers that send `location` are affected (`capNote`: evidence stays `operation`, with that
   * note); with `values`, only callers that sent one of these enum values there.
   */
  | { readonly kind: 'sent'; readonly location: string; readonly capNote?: string; readonly values?: readonly unknown[] }
  /** Callers that do not send `location` are affected (it became required). */
  | { readonly kind: 'missing'; readonly location: string; readonly undeclared?: boolean };

/** One operation a finding reaches, and what to look for there. */
export interface FindingTarget {
  /** As the diff names it: `GET /orders`. */
  readonly operation: string;
  /** `query parameter 'limit'`, `request body (application/json)`, `response 200 (...)`. */
  readonly where?: string;
  /** Property path from `where` to the change. */
  readonly path?: string;
  readonly target: Target;
}

const PARAMETER_WHERE = /^(query|header|cookie|path) parameter '(.*)'$/;

/** Parameter checks that hurt the callers that do not send the parameter. */
const MISSING_PARAMETER = new Set(['request-parameter-became-required']);
/** Parameters that did not exist in the base: nobody could send them as declared. */
const NEW_REQUIRED_PARAMETER = new Set(['new-required-request-parameter', 'new-required-request-default-parameter-to-existing-path']);
/** Parameter checks whose finding points at the parameter and hurt the callers that send it. */
const SENT_PARAMETER = /^request-parameter-(removed|removed-before-sunset|in-changed|style-changed|explode-changed|sunset-.*)$/;

const isResponseSide = (id: string): boolean => /(^|-)response(-|$)/.test(id);
const isRequiredNow = (id: string): boolean => /(^new-required-|became-required|became-not-read-only$|-added-required$)/.test(id);
const isEnum = (id: string): boolean => /enum/.test(id);
/** An enum value removed from what a request may send: the usage records know which values each consumer sent. */
const isEnumValueRemoved = (id: string): boolean => /^request-(?!read-only-).*enum-value-removed$/.test(id);

/** The target of a change at a location: for a removed enum value, the senders of that value; other enum changes stay at the operation. */
function sentTarget(finding: Finding, location: string, index: ContractIndex): Target {
  if (isEnumValueRemoved(finding.id)) {
    const values = index.removedEnumValues(finding);
    if (values !== undefined && values.length > 0) return { kind: 'sent', location, values };
  }
  return { kind: 'sent', location, ...(isEnum(finding.id) ? { capNote: NOTES.enum } : {}) };
}

function parameterLocation(p: { in: string; name: string }): string {
  return `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
}

/** The target of one finding at one place it reaches. */
function targetAt(finding: Finding, place: AffectedPlace | undefined, index: ContractIndex): Target {
  const id = finding.id;
  if (isResponseSide(id)) return { kind: 'operation', note: NOTES.response };
  if (!id.includes('request')) return { kind: 'operation' };
  const where = place?.where;
  const parameter = where !== undefined ? PARAMETER_WHERE.exec(where) : null;
  if (parameter) {
    const p = { in: parameter[1]!, name: parameter[2]! };
    if (p.in === 'path') return { kind: 'operation', note: NOTES.pathParameter };
    // A parameter's schema changed (or a member of an object parameter): only callers that send it can be hurt.
    return sentTarget(finding, parameterLocation(p), index);
  }
  if (where !== undefined && where.startsWith('request body')) {
    const location = `body:${index.bodyPointer(place!.operation, place!.path ?? '')}`;
    if (isRequiredNow(id)) return { kind: 'missing', location };
    return sentTarget(finding, location, index);
  }
  if (NEW_REQUIRED_PARAMETER.has(id) || MISSING_PARAMETER.has(id) || SENT_PARAMETER.test(id)) {
    const p = (finding.baseLocation && index.parameterAt(finding.baseLocation)) ?? index.parameterAt(finding.location);
    if (!p) return { kind: 'operation', note: NOTES.unmapped };
    if (p.in === 'path') return { kind: 'operation', note: NOTES.pathParameter };
    if (NEW_REQUIRED_PARAMETER.has(id)) return p.in === 'query' || p.in === 'header' || p.in === 'cookie' ? { kind: 'missing', location: parameterLocation(p), undeclared: true } : { kind: 'operation', note: NOTES.unmapped };
    if (MISSING_PARAMETER.has(id)) return { kind: 'missing', location: parameterLocation(p) };
    return { kind: 'sent', location: parameterLocation(p) };
  }
  switch (id) {
    case 'request-body-became-required':
    case 'request-body-added-required':
      return { kind: 'missing', location: 'body:' };
    case 'request-body-removed':
      return { kind: 'sent', location: 'body:' };
    case 'request-body-media-type-removed':
      return { kind: 'sent', location: 'body:', capNote: NOTES.mediaType };
    default:
      return { kind: 'operation', note: NOTES.unmapped };
  }
}

/** Every operation a finding reaches (once per operation, place and path), with its target. */
export function findingTargets(finding: Finding, index: ContractIndex): FindingTarget[] {
  const places: Array<AffectedPlace | undefined> = finding.affects && finding.affects.length > 0 ? finding.affects : [undefined];
  const out: FindingTarget[] = [];
  const seen = new Set<string>();
  for (const place of places) {
    const operation = place?.operation ?? finding.operation;
    if (operation === undefined) {
      // Kept, not dropped: a reader must see every breaking change, even one the records cannot attribute.
      if (!seen.has('')) out.push({ operation: '', target: { kind: 'operation', note: NOTES.noOperation } });
      seen.add('');
      continue;
    }
    const key = `${operation}\n${place?.where ?? ''}\n${place?.path ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ operation, ...(place?.where ? { where: place.where } : {}), ...(place?.path ? { path: place.path } : {}), target: targetAt(finding, place, index) });
  }
  return out;
}
