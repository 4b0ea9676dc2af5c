/** The check IDs the schema comparator can emit: oasdiff's names and default levels, plus the mirrors oasdiff lacks. */
import type { Severity } from '../../findings.js';
import type { CheckDefinition } from '../../rules/check.js';

/**
 * Where in a contract a schema change sits; it picks the ID prefix. A parameter's and a header's
 * top-level schema, and every property below a body's top level, have their own prefixes.
 */
export type SchemaLevel =
  | 'request-body'
  | 'request-property'
  | 'request-parameter'
  | 'request-parameter-property'
  | 'request-header-property'
  | 'response-body'
  | 'response-property'
  | 'response-header'
  | 'response-header-property';

const REQUEST_NODE_LEVELS: readonly SchemaLevel[] = ['request-body', 'request-property', 'request-parameter', 'request-parameter-property'];
// A response header's nested properties share the header's prefix: oasdiff has no separate one.
const RESPONSE_NODE_LEVELS: readonly SchemaLevel[] = ['response-body', 'response-property', 'response-header'];
const REQUEST_MEMBER_LEVELS: readonly SchemaLevel[] = ['request-property', 'request-parameter-property'];
const RESPONSE_MEMBER_LEVELS: readonly SchemaLevel[] = ['response-property', 'response-header-property'];

/** The level on the other side of the wire that mirrors a request level. */
const MIRROR_LEVEL: Readonly<Record<string, SchemaLevel>> = {
  'request-body': 'response-body',
  'request-property': 'response-property',
  'request-parameter': 'response-header',
  'request-parameter-property': 'response-header',
  'request-header-property': 'response-header',
};

const LEVEL_PHRASE: Readonly<Record<SchemaLevel, string>> = {
  'request-body': 'Request body schema',
  'request-property': 'Request body property',
  'request-parameter': 'Request parameter schema',
  'request-parameter-property': 'Property of an object request parameter',
  'request-header-property': 'Property of an object request header',
  'response-body': 'Response body schema',
  'response-property': 'Response body property',
  'response-header': 'Response header schema',
  'response-header-property': 'Property of an object response header',
};

/**
 * One kind of schema change, expanded into one check per level. `node` families apply to any
 * schema node (top level and nested), `member` families to a property of an object (they are
 * found on the parent: required, added, removed, deprecated), `root` families to a body's top level.
 */
interface Family {
  key: string;
  what: string;
  scope: 'node' | 'member' | 'root';
  /** Default severity on the request side; absent when the family has no request checks. */
  req?: Severity;
  /** Default severity on the response side. */
  resp?: Severity;
  /** Restricts the levels (otherwise all levels of the scope and directions). */
  only?: readonly SchemaLevel[];
  /** IDs that do not follow `<level>-<key>` (oasdiff's irregular names), also adding levels. */
  ids?: Partial<Record<SchemaLevel, string>>;
  /** Severities that differ from the family's direction default at one level. */
  sev?: Partial<Record<SchemaLevel, Severity>>;
  /** Why the request check has no response mirror with the opposite verdict. */
  waiver?: string;
  /** The response family that mirrors this request family, when it is not the same key. */
  mirror?: string;
}

const W_BOTH_BREAK = 'breaks clients in both directions: whatever was sent or received before may no longer match';
const W_INFO = 'informational on both sides (oasdiff level INFO): it changes no value a client sends or receives';
const W_READ_WRITE = 'readOnly narrows nothing a client sends and writeOnly nothing it receives: the exemption has one side only';
const W_OASDIFF_RESPONSE_INFO = 'oasdiff reports composition and pattern changes of responses as INFO, since clients rarely validate them';

function bounds(): Family[] {
  const upper: Array<[string, string]> = [
    ['max', 'maximum'],
    ['exclusive-max', 'exclusiveMaximum'],
    ['max-length', 'maxLength'],
    ['max-items', 'maxItems'],
    ['max-properties', 'maxProperties'],
    ['max-contains', 'maxContains'],
  ];
  const lower: Array<[string, string]> = [
    ['min', 'minimum'],
    ['exclusive-min', 'exclusiveMinimum'],
    ['min-length', 'minLength'],
    ['min-items', 'minItems'],
    ['min-properties', 'minProperties'],
    ['min-contains', 'minContains'],
  ];
  const out: Family[] = [];
  for (const [key, word] of upper) {
    out.push(
      { key: `${key}-decreased`, what: `${word} decreased`, scope: 'node', req: 'error', resp: 'info' },
      { key: `${key}-increased`, what: `${word} increased`, scope: 'node', req: 'info', resp: 'error' },
      { key: `${key}-set`, what: `${word} set where there was none`, scope: 'node', req: 'warn', resp: 'info' },
      { key: `${key}-unset`, what: `${word} removed`, scope: 'node', req: 'info', resp: 'error' },
    );
  }
  for (const [key, word] of lower) {
    out.push(
      { key: `${key}-increased`, what: `${word} increased`, scope: 'node', req: 'error', resp: 'info' },
      { key: `${key}-decreased`, what: `${word} decreased`, scope: 'node', req: 'info', resp: 'error' },
    );
    // An absent minLength, minItems, minProperties or minContains means 0 (1): only changes of value exist.
    if (key === 'min' || key === 'exclusive-min') {
      out.push(
        { key: `${key}-set`, what: `${word} set where there was none`, scope: 'node', req: 'warn', resp: 'info' },
        { key: `${key}-unset`, what: `${word} removed`, scope: 'node', req: 'info', resp: 'error' },
      );
    }
  }
  return out;
}

function addedRemoved(key: string, word: string): Family[] {
  return [
    { key: `${key}-added`, what: `${word} added`, scope: 'node', req: 'error', resp: 'info' },
    { key: `${key}-removed`, what: `${word} removed`, scope: 'node', req: 'info', resp: 'error' },
  ];
}

const FAMILIES: readonly Family[] = [
  // Types and nullability.
  { key: 'type-changed', what: 'type or format changed incompatibly', scope: 'node', req: 'error', resp: 'error', sev: { 'request-parameter-property': 'warn' }, waiver: W_BOTH_BREAK },
  { key: 'type-generalized', what: 'type or format widened', scope: 'node', req: 'info', resp: 'error' },
  { key: 'type-specialized', what: 'type or format narrowed', scope: 'node', req: 'error', resp: 'info', only: ['request-parameter-property', ...RESPONSE_NODE_LEVELS] },
  {
    key: 'type-compatible',
    what: 'type swapped where the media type is not strongly typed',
    scope: 'node',
    req: 'info',
    resp: 'info',
    only: ['request-body', 'request-property', 'response-body', 'response-property', 'response-header'],
    waiver: W_INFO,
  },
  { key: 'list-of-types-widened', what: 'list of allowed types widened', scope: 'node', req: 'info', resp: 'error' },
  { key: 'list-of-types-narrowed', what: 'list of allowed types narrowed', scope: 'node', req: 'error', resp: 'info' },
  { key: 'became-nullable', what: 'became nullable', scope: 'node', req: 'info', resp: 'error' },
  { key: 'became-not-nullable', what: 'became not nullable', scope: 'node', req: 'error', resp: 'info' },
  // Values.
  { key: 'became-enum', what: 'restricted to a list of enum values', scope: 'node', req: 'error', resp: 'info', ids: { 'request-header-property': 'request-header-property-became-enum' } },
  { key: 'enum-removed', what: 'enum restriction removed', scope: 'node', req: 'info', resp: 'warn' },
  { key: 'enum-value-added', what: 'enum value added', scope: 'node', req: 'info', resp: 'warn' },
  { key: 'enum-value-removed', what: 'enum value removed', scope: 'node', req: 'error', resp: 'info', ids: { 'response-body': 'response-mediatype-enum-value-removed' } },
  {
    key: 'read-only-property-enum-value-removed',
    what: 'enum value removed from a readOnly property',
    scope: 'node',
    req: 'info',
    only: [],
    ids: { 'request-property': 'request-read-only-property-enum-value-removed' },
    waiver: W_READ_WRITE,
  },
  {
    key: 'write-only-property-enum-value-added',
    what: 'enum value added to a writeOnly property',
    scope: 'node',
    resp: 'info',
    only: [],
    ids: { 'response-property': 'response-write-only-property-enum-value-added' },
  },
  {
    key: 'x-extensible-enum-value-removed',
    what: 'x-extensible-enum value removed',
    scope: 'node',
    req: 'error',
    waiver: 'x-extensible-enum lists values a client must already tolerate; removing one from a response breaks nobody (oasdiff has no response check)',
  },
  { key: 'const-added', what: 'const value set', scope: 'node', req: 'error', resp: 'info' },
  { key: 'const-removed', what: 'const value removed', scope: 'node', req: 'info', resp: 'error' },
  { key: 'const-changed', what: 'const value changed', scope: 'node', req: 'error', resp: 'error', waiver: W_BOTH_BREAK },
  { key: 'default-value-added', what: 'default value added', scope: 'node', req: 'info', resp: 'info', sev: { 'request-parameter': 'error' }, waiver: W_INFO },
  { key: 'default-value-removed', what: 'default value removed', scope: 'node', req: 'info', resp: 'info', sev: { 'request-parameter': 'error' }, waiver: W_INFO },
  { key: 'default-value-changed', what: 'default value changed', scope: 'node', req: 'info', resp: 'info', sev: { 'request-parameter': 'error' }, waiver: W_INFO },
  { key: 'pattern-added', what: 'pattern added', scope: 'node', req: 'error', resp: 'info' },
  { key: 'pattern-removed', what: 'pattern removed', scope: 'node', req: 'info', resp: 'info', waiver: W_OASDIFF_RESPONSE_INFO },
  { key: 'pattern-changed', what: 'pattern changed', scope: 'node', req: 'warn', resp: 'info' },
  { key: 'pattern-generalized', what: "pattern widened to '.*'", scope: 'node', req: 'info', waiver: 'a response pattern change is reported as pattern-changed, which is INFO' },
  // Numeric, length, size bounds.
  ...bounds(),
  {
    key: 'read-only-property-max-decreased',
    what: 'maximum of a readOnly property decreased',
    scope: 'node',
    req: 'info',
    only: [],
    ids: { 'request-property': 'request-read-only-property-max-decreased' },
    waiver: W_READ_WRITE,
  },
  {
    key: 'read-only-property-exclusive-max-decreased',
    what: 'exclusiveMaximum of a readOnly property decreased',
    scope: 'node',
    req: 'info',
    only: [],
    ids: { 'request-property': 'request-read-only-property-exclusive-max-decreased' },
    waiver: W_READ_WRITE,
  },
  {
    key: 'read-only-property-max-length-decreased',
    what: 'maxLength of a readOnly property decreased',
    scope: 'node',
    req: 'info',
    only: [],
    ids: { 'request-property': 'request-read-only-property-max-length-decreased' },
    waiver: W_READ_WRITE,
  },
  {
    key: 'read-only-property-min-increased',
    what: 'minimum of a readOnly property increased',
    scope: 'node',
    req: 'info',
    only: [],
    ids: { 'request-property': 'request-read-only-property-min-increased' },
    waiver: W_READ_WRITE,
  },
  {
    key: 'read-only-property-exclusive-min-increased',
    what: 'exclusiveMinimum of a readOnly property increased',
    scope: 'node',
    req: 'info',
    only: [],
    ids: { 'request-property': 'request-read-only-property-exclusive-min-increased' },
    waiver: W_READ_WRITE,
  },
  { key: 'multiple-of-set', what: 'multipleOf set where there was none', scope: 'node', req: 'warn', resp: 'info' },
  { key: 'multiple-of-unset', what: 'multipleOf removed', scope: 'node', req: 'info', resp: 'error' },
  { key: 'multiple-of-narrowed', what: 'multipleOf changed to a multiple of the old one (fewer values)', scope: 'node', req: 'error', resp: 'info' },
  { key: 'multiple-of-widened', what: 'multipleOf changed to a divisor of the old one (more values)', scope: 'node', req: 'info', resp: 'error' },
  { key: 'multiple-of-changed', what: 'multipleOf changed to an unrelated value', scope: 'node', req: 'error', resp: 'error', waiver: W_BOTH_BREAK },
  { key: 'unique-items-added', what: 'uniqueItems required', scope: 'node', req: 'error', resp: 'info' },
  { key: 'unique-items-removed', what: 'uniqueItems no longer required', scope: 'node', req: 'info', resp: 'error' },
  // Discriminator (informational in oasdiff on both sides).
  { key: 'discriminator-added', what: 'discriminator added', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'discriminator-removed', what: 'discriminator removed', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'discriminator-property-name-changed', what: 'discriminator property name changed', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'discriminator-mapping-added', what: 'discriminator mapping keys added', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'discriminator-mapping-deleted', what: 'discriminator mapping keys removed', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'discriminator-mapping-changed', what: 'discriminator mapping value changed', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  // Composition.
  { key: 'all-of-added', what: 'allOf member added', scope: 'node', req: 'error', resp: 'info' },
  { key: 'all-of-removed', what: 'allOf member removed', scope: 'node', req: 'warn', resp: 'info', waiver: W_OASDIFF_RESPONSE_INFO },
  { key: 'all-of-added-annotation-only', what: 'annotation-only allOf member added', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'all-of-removed-annotation-only', what: 'annotation-only allOf member removed', scope: 'node', req: 'info', resp: 'info', waiver: W_INFO },
  { key: 'any-of-added', what: 'anyOf member added', scope: 'node', req: 'info', resp: 'info', waiver: W_OASDIFF_RESPONSE_INFO },
  { key: 'any-of-removed', what: 'anyOf member removed', scope: 'node', req: 'error', resp: 'info' },
  { key: 'one-of-added', what: 'oneOf member added', scope: 'node', req: 'info', resp: 'error' },
  { key: 'one-of-removed', what: 'oneOf member removed', scope: 'node', req: 'error', resp: 'info' },
  { key: 'wrapped-in-one-of', what: 'object schema wrapped in a oneOf of alternatives', scope: 'root', req: 'error', resp: 'error', waiver: W_BOTH_BREAK },
  { key: 'not-added', what: 'not constraint added', scope: 'node', req: 'error', resp: 'info' },
  { key: 'not-removed', what: 'not constraint removed', scope: 'node', req: 'info', resp: 'error' },
  { key: 'not-changed', what: 'not constraint changed', scope: 'node', req: 'warn', resp: 'warn', waiver: 'a changed negated schema can widen or narrow; both sides get a warning' },
  // Sub-schema keywords.
  ...addedRemoved('items', 'items schema'),
  ...addedRemoved('additional-properties', 'additionalProperties restriction'),
  { key: 'prefix-items-added', what: 'prefixItems entries added', scope: 'node', req: 'info', resp: 'error' },
  { key: 'prefix-items-removed', what: 'prefixItems entries removed', scope: 'node', req: 'error', resp: 'info' },
  ...addedRemoved('contains', 'contains schema'),
  ...addedRemoved('if', 'if schema'),
  ...addedRemoved('then', 'then schema'),
  ...addedRemoved('else', 'else schema'),
  ...addedRemoved('dependent-required', 'dependentRequired entry'),
  { key: 'dependent-required-changed', what: 'dependentRequired entry changed', scope: 'node', req: 'error', resp: 'error', waiver: W_BOTH_BREAK },
  ...addedRemoved('dependent-schema', 'dependentSchemas entry'),
  ...addedRemoved('pattern-property', 'patternProperties entry'),
  ...addedRemoved('property-names', 'propertyNames schema'),
  ...addedRemoved('unevaluated-items', 'unevaluatedItems restriction'),
  ...addedRemoved('unevaluated-properties', 'unevaluatedProperties restriction'),
  ...addedRemoved('content-schema', 'contentSchema'),
  { key: 'content-media-type-changed', what: 'contentMediaType changed', scope: 'node', req: 'error', resp: 'error', waiver: W_BOTH_BREAK },
  { key: 'content-encoding-changed', what: 'contentEncoding changed', scope: 'node', req: 'error', resp: 'error', waiver: W_BOTH_BREAK },
  // Required and optional properties.
  { key: 'became-required', what: 'property became required', scope: 'member', req: 'error', resp: 'info', ids: { 'request-header-property': 'request-header-property-became-required' } },
  {
    key: 'became-required-with-default',
    what: 'property with a default value became required',
    scope: 'member',
    req: 'error',
    only: REQUEST_MEMBER_LEVELS,
    waiver: 'a default only matters for what clients send',
  },
  { key: 'became-optional', what: 'property became optional', scope: 'member', req: 'info', resp: 'error' },
  {
    key: 'write-only-property-became-optional',
    what: 'writeOnly property became optional',
    scope: 'member',
    resp: 'info',
    only: [],
    ids: { 'response-property': 'response-write-only-property-became-optional' },
  },
  {
    key: 'write-only-property-became-required',
    what: 'writeOnly property became required',
    scope: 'member',
    resp: 'info',
    only: [],
    ids: { 'response-property': 'response-write-only-property-became-required' },
  },
  {
    key: 'property-removed',
    what: 'property removed',
    scope: 'member',
    req: 'warn',
    only: [],
    ids: { 'request-property': 'request-property-removed', 'request-parameter-property': 'request-parameter-property-removed' },
    waiver: 'a removed response property is response-required-property-removed or response-optional-property-removed',
  },
  {
    key: 'new-required-property',
    what: 'new required property',
    scope: 'member',
    req: 'error',
    only: [],
    ids: {
      'request-property': 'new-required-request-property',
      'request-parameter-property': 'new-required-request-parameter-property',
      'request-header-property': 'new-required-request-header-property',
    },
    mirror: 'required-property-added',
  },
  {
    key: 'new-required-property-with-default',
    what: 'new required property with a default value',
    scope: 'member',
    req: 'error',
    only: [],
    ids: {
      'request-property': 'new-required-request-property-with-default',
      'request-parameter-property': 'new-required-request-parameter-property-with-default',
    },
    waiver: 'a default only matters for what clients send',
  },
  {
    key: 'new-optional-property',
    what: 'new optional property',
    scope: 'member',
    req: 'info',
    only: [],
    ids: { 'request-property': 'new-optional-request-property', 'request-parameter-property': 'new-optional-request-parameter-property' },
    waiver: 'a new optional response property is informational too (response-optional-property-added): clients must ignore unknown properties',
  },
  {
    key: 'required-property-removed',
    what: 'required property removed',
    scope: 'member',
    resp: 'error',
    only: [],
    ids: { 'response-property': 'response-required-property-removed', 'response-header-property': 'response-header-required-property-removed' },
  },
  {
    key: 'optional-property-removed',
    what: 'optional property removed',
    scope: 'member',
    resp: 'warn',
    only: [],
    ids: { 'response-property': 'response-optional-property-removed', 'response-header-property': 'response-header-optional-property-removed' },
  },
  {
    key: 'required-property-added',
    what: 'required property added',
    scope: 'member',
    resp: 'info',
    only: [],
    ids: { 'response-property': 'response-required-property-added', 'response-header-property': 'response-header-required-property-added' },
  },
  {
    key: 'optional-property-added',
    what: 'optional property added',
    scope: 'member',
    resp: 'info',
    only: [],
    ids: { 'response-property': 'response-optional-property-added', 'response-header-property': 'response-header-optional-property-added' },
  },
  ...(['required', 'optional'] as const).flatMap((kind): Family[] => [
    {
      key: `${kind}-write-only-property-removed`,
      what: `${kind} writeOnly property removed`,
      scope: 'member',
      resp: 'info',
      only: [],
      ids: { 'response-property': `response-${kind}-write-only-property-removed` },
    },
    {
      key: `${kind}-write-only-property-added`,
      what: `${kind} writeOnly property added`,
      scope: 'member',
      resp: 'info',
      only: [],
      ids: { 'response-property': `response-${kind}-write-only-property-added` },
    },
  ]),
  // Lifecycle of properties.
  { key: 'deprecated', what: 'property deprecated', scope: 'member', req: 'info', resp: 'info', only: ['request-property', 'response-property'], waiver: W_INFO },
  { key: 'deprecated-with-sunset', what: 'property deprecated with a sunset date', scope: 'member', req: 'info', resp: 'info', only: ['request-property', 'response-property'], waiver: W_INFO },
  {
    key: 'deprecated-sunset-invalid',
    what: 'property deprecated with an unreadable x-sunset date',
    scope: 'member',
    req: 'error',
    resp: 'error',
    only: ['request-property', 'response-property'],
    waiver: 'an unreadable sunset date is an error in the contract itself, whichever way the data flows',
  },
  {
    key: 'sunset-date-too-small',
    what: 'property deprecated with a sunset date already past',
    scope: 'member',
    req: 'error',
    resp: 'error',
    only: ['request-property', 'response-property'],
    waiver: 'a past sunset date is an error in the contract itself, whichever way the data flows',
  },
  { key: 'reactivated', what: 'property no longer deprecated', scope: 'member', req: 'info', resp: 'info', only: ['request-property', 'response-property'], waiver: W_INFO },
  // readOnly / writeOnly transitions of properties.
  ...(['required', 'optional'] as const).flatMap((kind) =>
    (['read-only', 'not-read-only', 'write-only', 'not-write-only'] as const).flatMap((flag): Family[] => [
      {
        key: `${kind}-property-became-${flag}`,
        what: `${kind} property became ${flag.replace(/-/g, ' ')}`,
        scope: 'member',
        // A required property that stops being readOnly must now be sent; one that becomes
        // writeOnly is no longer returned, though clients rely on it.
        req: kind === 'required' && flag === 'not-read-only' ? 'error' : 'info',
        resp: kind === 'required' && flag === 'write-only' ? 'error' : kind === 'required' && flag === 'not-write-only' ? 'warn' : 'info',
        only: [],
        ids: {
          'request-property': `request-${kind}-property-became-${flag}`,
          'response-property': `response-${kind}-property-became-${flag}`,
        },
        waiver: W_READ_WRITE,
      },
    ]),
  ),
];

/** One check of the catalogue with the family it was expanded from. */
interface Entry {
  family: Family;
  level: SchemaLevel;
  definition: CheckDefinition;
}

function levelsOf(family: Family): SchemaLevel[] {
  const byScope = (req: readonly SchemaLevel[], resp: readonly SchemaLevel[]): SchemaLevel[] => [
    ...(family.req ? req : []),
    ...(family.resp ? resp : []),
  ];
  const base =
    family.scope === 'root'
      ? byScope(['request-body'], ['response-body'])
      : family.scope === 'member'
        ? byScope(REQUEST_MEMBER_LEVELS, RESPONSE_MEMBER_LEVELS)
        : byScope(REQUEST_NODE_LEVELS, RESPONSE_NODE_LEVELS);
  const allowed = family.only ? base.filter((level) => family.only?.includes(level)) : base;
  for (const level of Object.keys(family.ids ?? {}) as SchemaLevel[]) if (!allowed.includes(level)) allowed.push(level);
  return allowed;
}

function expand(): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const family of FAMILIES) {
    for (const level of levelsOf(family)) {
      const id = family.ids?.[level] ?? `${level}-${family.key}`;
      const direction = level.startsWith('request') ? 'request' : 'response';
      const severity = family.sev?.[level] ?? (direction === 'request' ? family.req : family.resp);
      if (!severity) throw new TypeError(`schema check family ${family.key} has no ${direction} severity for ${level}`);
      if (entries.has(id)) throw new TypeError(`duplicate schema check ID ${id}`);
      const definition: CheckDefinition = Object.freeze({
        id,
        severity,
        direction,
        area: 'schema',
        description: `${LEVEL_PHRASE[level]}: ${family.what}.`,
      });
      entries.set(id, { family, level, definition });
    }
  }
  return entries;
}

const ENTRIES = expand();
const BY_FAMILY_LEVEL = new Map<string, CheckDefinition>([...ENTRIES.values()].map((e) => [`${e.family.key}@${e.level}`, e.definition]));

/** Every check ID the schema comparator can emit, with its default severity and direction. */
export const SCHEMA_CHECKS: readonly CheckDefinition[] = Object.freeze([...ENTRIES.values()].map((e) => e.definition));

/**
 * The check for a kind of change at a level, or undefined when that kind is not reported there
 * (for example a type specialisation in a request body, which is reported as `type-changed`).
 */
export function schemaCheck(family: string, level: SchemaLevel): CheckDefinition | undefined {
  return BY_FAMILY_LEVEL.get(`${family}@${level}`);
}

/** How a request check is mirrored on the response side: the mirror's ID, or why there is none. */
export type SchemaCheckSymmetry = { mirror: string } | { waiver: string };

function symmetry(): Map<string, SchemaCheckSymmetry> {
  const out = new Map<string, SchemaCheckSymmetry>();
  for (const entry of ENTRIES.values()) {
    if (entry.definition.direction !== 'request') continue;
    const { family, level } = entry;
    if (family.waiver) {
      out.set(entry.definition.id, { waiver: family.waiver });
      continue;
    }
    const mirrorLevel = family.scope === 'member' && level !== 'request-property' ? 'response-header-property' : MIRROR_LEVEL[level];
    const mirror = mirrorLevel ? BY_FAMILY_LEVEL.get(`${family.mirror ?? family.key}@${mirrorLevel}`) : undefined;
    if (mirror) out.set(entry.definition.id, { mirror: mirror.id });
  }
  return out;
}

/**
 * For each request check: the response check that mirrors it (the same change, with the opposite
 * verdict), or the written waiver saying why there is none. A request check missing here has
 * neither, which the catalogue test reports.
 */
export const SCHEMA_CHECK_SYMMETRY: ReadonlyMap<string, SchemaCheckSymmetry> = symmetry();

/** The kind of change and the level a check ID was expanded from (for tests and documentation). */
export function schemaCheckOrigin(id: string): { family: string; level: SchemaLevel } | undefined {
  const entry = ENTRIES.get(id);
  return entry && { family: entry.family.key, level: entry.level };
}
