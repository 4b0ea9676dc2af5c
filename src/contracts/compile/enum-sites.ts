/**
 * Where an operation's request carries enum-restricted values: declared query, header and cookie
 * parameters and JSON pointers of the request body (array steps as `*`) whose schema has an `enum`.
 * Found once at load, so that usage records capture the enum values a consumer sends there and
 * nowhere else.
 */
import { escapeToken } from '../json-pointer.js';
import { isObject, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import type { OperationSite } from './operation-walk.js';

/** A place whose values are restricted to a list: its fingerprint location and the allowed values. */
export interface EnumSite {
  /** `query:<name>`, `header:<lower-case name>`, `cookie:<name>` or `body:<JSON pointer>`. */
  readonly location: string;
  readonly values: readonly unknown[];
}

/** Deepest body member looked at (the fingerprint's own default depth). */
const MAX_DEPTH = 16;
/** Schema nodes visited per operation: a bound on load time for huge or recursive schemas. */
const MAX_NODES = 4096;
/** Values kept per site: an enum longer than this is not captured beyond its first values. */
export const MAX_ENUM_VALUES = 256;

interface Walk {
  readonly doc: OpenApiDocument;
  readonly sites: Map<string, unknown[]>;
  nodes: number;
}

function addSite(walk: Walk, location: string, values: readonly unknown[]): void {
  const known = walk.sites.get(location) ?? [];
  for (const value of values) {
    if (known.length >= MAX_ENUM_VALUES) break;
    if (value !== null && typeof value === 'object') continue; // Objects and arrays are never matched: scalars only.
    if (!known.some((v) => v === value)) known.push(value);
  }
  if (known.length > 0) walk.sites.set(location, known);
}

/** Visits a schema (following `$ref`s and compositions) and records every enum under `location`. */
function visit(walk: Walk, schema: Resolved, location: string, depth: number, body: boolean): void {
  if (++walk.nodes > MAX_NODES || depth > MAX_DEPTH) return;
  let resolved: Resolved;
  try {
    resolved = walk.doc.deref<unknown>(schema.value, schema.file, schema.pointer);
  } catch {
    return; // An unresolvable reference is the validator's to report, not the usage plan's.
  }
  const s = resolved.value;
  if (!isObject(s)) return;
  if (Array.isArray(s.enum)) addSite(walk, location, s.enum);
  if ('const' in s && (s.const === null || typeof s.const !== 'object')) addSite(walk, location, [s.const]);
  const at = (key: string): Resolved => ({ value: s[key], file: resolved.file, pointer: `${resolved.pointer}/${escapeToken(key)}` });
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const members = s[key];
    if (!Array.isArray(members)) continue;
    members.forEach((member, i) => visit(walk, { value: member, file: resolved.file, pointer: `${resolved.pointer}/${key}/${i}` }, location, depth, body));
  }
  // A parameter's array items share the parameter's location (`status=a,b` sends values of the items' enum).
  if (s.items !== undefined && isObject(s.items)) visit(walk, at('items'), body ? `${location}/*` : location, depth + 1, body);
  if (!body) return;
  if (Array.isArray(s.prefixItems)) s.prefixItems.forEach((item, i) => visit(walk, { value: item, file: resolved.file, pointer: `${resolved.pointer}/prefixItems/${i}` }, `${location}/*`, depth + 1, body));
  if (isObject(s.properties)) {
    const properties = s.properties;
    for (const name of Object.keys(properties)) {
      visit(walk, { value: properties[name], file: resolved.file, pointer: `${resolved.pointer}/properties/${escapeToken(name)}` }, `${location}/${escapeToken(name)}`, depth + 1, body);
    }
  }
}

/** The enum sites of one operation (path parameters excluded: every call sends one, and their values are not recorded). */
export function enumSitesOf(site: OperationSite, doc: OpenApiDocument): EnumSite[] {
  const walk: Walk = { doc, sites: new Map(), nodes: 0 };
  for (const parameter of site.parameters) {
    const p = parameter.value;
    if (typeof p.name !== 'string' || (p.in !== 'query' && p.in !== 'header' && p.in !== 'cookie') || p.schema === undefined) continue;
    const location = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
    visit(walk, { value: p.schema, file: parameter.file, pointer: `${parameter.pointer}/schema` }, location, 0, false);
  }
  const declared = site.operation.value.requestBody;
  if (declared !== undefined) {
    try {
      const body = doc.deref<unknown>(declared, site.operation.file, `${site.operation.pointer}/requestBody`);
      const content = isObject(body.value) ? body.value.content : undefined;
      if (isObject(content)) {
        for (const type of Object.keys(content)) {
          const media = content[type];
          if (!isObject(media) || media.schema === undefined) continue;
          visit(walk, { value: media.schema, file: body.file, pointer: `${body.pointer}/content/${escapeToken(type)}/schema` }, 'body:', 0, true);
        }
      }
    } catch {
      // The body's planning reports a broken reference.
    }
  }
  return [...walk.sites].map(([location, values]) => ({ location, values }));
}
