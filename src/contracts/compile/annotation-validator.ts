/** Validators for the schemas Ajv 8 answers wrongly: `unevaluatedItems`/`unevaluatedProperties` that depend on `contains`, `if` or alternatives. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Validator, type OutputUnit } from '@cfworker/json-schema';
import { childSchemas } from './schema-keywords.js';
import { escapeToken } from '../json-pointer.js';

/**
 * Ajv tracks the items an applicator evaluated as a count from the start, so the items `contains`
 * matched cannot be represented, and it merges what `if` evaluated even when `if` failed; an
 * `anyOf`/`oneOf` member that evaluates items can also be miscounted. Such a schema gets silent
 * wrong answers from Ajv, so it is validated by @cfworker/json-schema instead, which collects
 * annotations as the specification says. Everything else stays with Ajv's compiled code.
 */

/** Where, inside a def of the bundle, a schema node is: `$defs`, def key, then keyword segments. */
export type BundleSegments = string[];

/** What decides a def's validator: whether it needs annotation tracking, and its first pattern if so. */
export interface AnnotationNeed {
  needed: boolean;
  /** The closure of defs the validator needs. */
  defs: string[];
  /**
   * What in that closure this validator cannot check as the gateway promises: the first `pattern`
   * or `patternProperties` (its engine is not linear-time), or a `format` it does not know.
   */
  unsupported: { segments: BundleSegments; reason: string } | undefined;
}

/** The formats @cfworker/json-schema checks; any other would silently pass. */
const KNOWN_FORMATS: ReadonlySet<string> = new Set([
  'date', 'time', 'date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url', 'email', 'hostname',
  'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment', 'relative-json-pointer',
]);

const LIMITS =
  'a schema whose unevaluatedItems/unevaluatedProperties depends on contains, if, anyOf or oneOf is checked by a validator that tracks annotations';

const DEF_REF = '#/$defs/';

/** Looks at a def and every def it refers to, transitively. */
export function annotationNeed(defs: Readonly<Record<string, unknown>>, key: string): AnnotationNeed {
  const closure: string[] = [key];
  const queued = new Set<string>([key]);
  let unevaluatedItems = false;
  let unevaluatedProperties = false;
  let conditional = false;
  let contains = false;
  let alternatives = false;
  let unsupported: AnnotationNeed['unsupported'];
  for (let i = 0; i < closure.length; i++) {
    const defKey = closure[i]!;
    const visit = (node: unknown, segments: string[]): void => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      const schema = node as Record<string, unknown>;
      if ('unevaluatedItems' in schema) unevaluatedItems = true;
      if ('unevaluatedProperties' in schema) unevaluatedProperties = true;
      if ('if' in schema) conditional = true;
      if ('contains' in schema) contains = true;
      if ('anyOf' in schema || 'oneOf' in schema) alternatives = true;
      if (!unsupported && (typeof schema.pattern === 'string' || (schema.patternProperties !== null && typeof schema.patternProperties === 'object'))) {
        const keyword = typeof schema.pattern === 'string' ? 'pattern' : 'patternProperties';
        unsupported = { segments: [...segments, keyword], reason: `${LIMITS}, which has no linear-time engine for ${keyword}; move the pattern out of it, or drop unevaluated*` };
      }
      if (!unsupported && typeof schema.format === 'string' && !KNOWN_FORMATS.has(schema.format)) {
        unsupported = { segments: [...segments, 'format'], reason: `${LIMITS}, which does not know format "${schema.format}"` };
      }
      if (typeof schema.$ref === 'string' && schema.$ref.startsWith(DEF_REF)) {
        const target = schema.$ref.slice(DEF_REF.length);
        if (!queued.has(target)) {
          queued.add(target);
          closure.push(target);
        }
      }
      for (const child of childSchemas(schema)) visit(child.schema, [...segments, ...child.segments]);
    };
    visit(defs[defKey], ['$defs', defKey]);
  }
  const needed = (unevaluatedItems && (contains || conditional || alternatives)) || (unevaluatedProperties && conditional);
  return { needed, defs: closure, unsupported };
}

/**
 * A validator with Ajv's calling convention (`validate(data)`, then `validate.errors`) whose verdict
 * is @cfworker/json-schema's. When Ajv's compiled validator rejects the data too, its errors are
 * reported (the same wording as every other schema); when only the annotation-tracking validator
 * rejects it, its own errors are.
 */
export function createAnnotationValidator(defs: Readonly<Record<string, unknown>>, need: AnnotationNeed, key: string, ajvValidate: ValidateFunction): ValidateFunction {
  const own: Record<string, unknown> = {};
  // The library writes resolution data into the schema it is given: it gets its own copy.
  for (const defKey of need.defs) own[defKey] = structuredClone(defs[defKey]);
  const validator = new Validator({ $defs: own, $ref: `${DEF_REF}${key}` }, '2020-12', false);
  const validate = ((data: unknown): boolean => {
    const result = validator.validate(data);
    if (result.valid) {
      validate.errors = null;
      return true;
    }
    validate.errors = ajvValidate(data) ? toAjvErrors(result.errors) : ajvValidate.errors;
    return false;
  }) as ValidateFunction;
  validate.errors = null;
  return validate;
}

/** Keywords whose errors only say that a subschema failed; the subschema's own errors follow. */
const SUMMARY_KEYWORDS: ReadonlySet<string> = new Set([
  '$ref',
  'allOf',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'prefixItems',
  'dependentSchemas',
  'then',
  'else',
  'if',
  'propertyNames',
]);

/** Ajv's params for a keyword, read back from the library's message (quoted names and JSON values). */
function paramsOf(keyword: string, message: string): Record<string, unknown> | undefined {
  const quoted = [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const json = (text: string | undefined): unknown => {
    try {
      return text === undefined ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  switch (keyword) {
    case 'required':
      return { missingProperty: quoted[0] };
    case 'dependentRequired':
      return { property: quoted[0], missingProperty: quoted[1] };
    case 'additionalProperties':
      return { additionalProperty: quoted[0] };
    case 'unevaluatedProperties':
      return { unevaluatedProperty: quoted[0] };
    case 'type':
      return { type: quoted.slice(1) };
    case 'format':
      return { format: quoted[0] };
    case 'const':
      return { allowedValue: json(/^Instance does not match (.*)\.$/.exec(message)?.[1]) };
    case 'enum':
      return { allowedValues: json(/^Instance does not match any of (.*)\.$/.exec(message)?.[1]) };
    default:
      return undefined;
  }
}

function toAjvErrors(units: readonly OutputUnit[]): ErrorObject[] {
  const errors: ErrorObject[] = [];
  for (const unit of units) {
    if (SUMMARY_KEYWORDS.has(unit.keyword)) continue;
    // The property-level errors come with the object's location; Ajv's point at the object too.
    const instancePath = decodeURI(unit.instanceLocation.replace(/^#/, '').replace(/%23/g, '#'));
    const params = paramsOf(unit.keyword, unit.error);
    errors.push({
      keyword: unit.keyword,
      instancePath,
      schemaPath: unit.keywordLocation,
      params: params ?? {},
      message: unit.error.replace(/\.$/, ''),
    });
  }
  return withoutEchoes(errors);
}

/**
 * A member that fails its subschema is also "not evaluated" (a failed subschema yields no
 * annotations), and the library reports both, plus the `false` of `unevaluatedProperties: false`.
 * Ajv reports the cause alone; so do these validators: the echoes at a place that has a cause go.
 */
function withoutEchoes(errors: ErrorObject[]): ErrorObject[] {
  const isEcho = (e: ErrorObject): boolean => e.keyword === 'false' || e.keyword === 'unevaluatedProperties' || e.keyword === 'unevaluatedItems';
  const causes = errors.filter((e) => !isEcho(e)).map((e) => e.instancePath);
  const caused = (at: string): boolean => causes.some((c) => c === at || c.startsWith(`${at}/`));
  return errors.filter((e) => {
    if (e.keyword === 'unevaluatedProperties') return !caused(`${e.instancePath}/${escapeToken(String(e.params.unevaluatedProperty))}`);
    if (e.keyword === 'false') return !caused(e.instancePath) && !errors.some((u) => u.keyword === 'unevaluatedProperties' && `${u.instancePath}/${escapeToken(String(u.params.unevaluatedProperty))}` === e.instancePath);
    return true;
  });
}
