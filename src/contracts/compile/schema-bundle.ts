/** Translates a contract's schemas, once per direction, into one JSON Schema 2020-12 bundle that a single Ajv instance compiles. */
import { ContractError, isObject, type Location, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken, fromPointer, getAt } from '../json-pointer.js';
import { SchemaRefResolver, absoluteUri, type SchemaResource } from './schema-ref-resolver.js';
import { PatternRefusal, translatePattern } from './linear-pattern.js';
import { setOwn } from './parameter-decode.js';
import { SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS, SINGLE_SCHEMA_KEYWORDS } from './schema-keywords.js';

/** `$id` of the bundle inside the contract's Ajv instance. */
export const BUNDLE_ID = 'urn:accord:contract';

/**
 * Requests and responses see different variants of a schema: a `readOnly` property is not required
 * in a request, a `writeOnly` property is not required in a response.
 */
export type Direction = 'request' | 'response';

/** What the bundle reports back while translating. */
export interface BundleHooks {
  /** True when Ajv can check this `format`; unknown formats are dropped with a warning instead of failing. */
  isKnownFormat(name: string): boolean;
  /** A located remark that does not stop the contract from loading. */
  warn(file: string, pointer: string, message: string): void;
}

/** OpenAPI-only annotations that mean nothing to a validator; dropped so Ajv never sees them. */
const DROPPED_KEYWORDS: ReadonlySet<string> = new Set([
  'example',
  'discriminator',
  'xml',
  'externalDocs',
  '$comment',
  // Identifiers and dialects were used to resolve references; in the bundle they would only clash.
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
]);

/** Bound on `allOf`/`$ref` hops when looking for a property's readOnly/writeOnly flag. */
const MAX_FLAG_DEPTH = 16;

/**
 * The dynamic scope of a schema being translated, reduced to what `$dynamicRef` reads: for each
 * `$dynamicAnchor` name, the schema of the outermost resource entered on the way here that
 * declares it. The outermost wins, so entering a resource only adds names not yet bound.
 */
type DynamicScope = ReadonlyMap<string, Location>;
const NO_DYNAMIC_SCOPE: DynamicScope = new Map();

/**
 * The bundle of one contract: `{ $id: BUNDLE_ID, $defs: { q0, q1, …, s0, …, g0, … } }`.
 * `q` defs are request variants, `s` defs response variants, `g` defs schemas built by the compiler
 * (parameter groups). Every reference inside points at another def, so nested `$id`s, anchors and
 * other files no longer matter to Ajv. A map from translated nodes back to contract locations lets
 * load-time errors name the file and pointer of the contract.
 */
export class SchemaBundle {
  private readonly doc: OpenApiDocument;
  private readonly hooks: BundleHooks;
  private readonly resolver: SchemaRefResolver;
  private readonly is30: boolean;
  private readonly defs: Record<string, unknown> = {};
  private readonly defOrigins = new Map<string, Location>();
  private readonly origins = new WeakMap<object, Location>();
  private readonly keysByLocation = new Map<string, string>();
  private readonly keysBySignature = new Map<string, string>();
  private defCount = 0;
  private unevaluated = false;

  constructor(doc: OpenApiDocument, hooks: BundleHooks) {
    this.doc = doc;
    this.hooks = hooks;
    this.resolver = new SchemaRefResolver(doc);
    this.is30 = doc.majorMinor === '3.0';
  }

  /**
   * The def key of the schema at a contract location, translated for `direction` (added on first use).
   * `$dynamicRef` is resolved here, at load: a schema reached with different dynamic scopes becomes
   * one def per scope (a contract without `$dynamicAnchor` has one scope, the empty one).
   */
  defFor(schema: unknown, file: string, pointer: string, direction: Direction, dynamic: DynamicScope = NO_DYNAMIC_SCOPE): string {
    const resource = this.resolver.resourceAt(file, pointer);
    // Evaluation enters the resource the schema belongs to: its own when it has an `$id` (entered
    // by translate), else the enclosing one. Resources around one with an `$id` are not entered.
    const scope = isObject(schema) && typeof schema.$id === 'string' && !this.is30 ? dynamic : this.enter(dynamic, resource, file);
    const locationKey = `${direction === 'request' ? 'q' : 's'}${file}#${pointer}${scopeSignature(scope)}`;
    const existing = this.keysByLocation.get(locationKey);
    if (existing) return existing;
    const key = `${direction === 'request' ? 'q' : 's'}${this.defCount++}`;
    this.keysByLocation.set(locationKey, key);
    this.defOrigins.set(key, { file, pointer });
    // A placeholder first, so a schema that refers to itself finds its own key.
    this.defs[key] = true;
    if (typeof schema !== 'boolean' && !isObject(schema)) {
      throw new ContractError('CONTRACT_INVALID', file, pointer, 'a schema must be an object', this.doc.lineOf(file, pointer));
    }
    const translated = this.translate(schema, file, pointer, direction, resource, scope);
    this.defs[key] = translated;
    const canonical = this.canonicalKey(key, translated);
    if (canonical !== key) this.keysByLocation.set(locationKey, canonical);
    return canonical;
  }

  /** Adds a schema the compiler built (not found in the contract); errors in it are reported at `origin`. */
  addBuilt(schema: Record<string, unknown>, origin: Location): string {
    const key = `g${this.defCount++}`;
    this.defs[key] = schema;
    this.defOrigins.set(key, origin);
    return this.canonicalKey(key, schema);
  }

  /**
   * One def, hence one compiled validator, per distinct schema: a def that only refers to another
   * def is answered by that def, and a def equal to one already added by the earlier one. Ajv
   * compiles every schema it is asked for, so a large contract whose operations share component
   * schemas and parameters would otherwise compile the same code hundreds of times.
   */
  private canonicalKey(key: string, schema: unknown): string {
    if (isObject(schema)) {
      const members = Object.keys(schema);
      const ref = schema.$ref;
      if (members.length === 1 && typeof ref === 'string' && ref.startsWith('#/$defs/')) return ref.slice('#/$defs/'.length);
    }
    const signature = JSON.stringify(schema);
    const same = this.keysBySignature.get(signature);
    if (same !== undefined) return same;
    this.keysBySignature.set(signature, key);
    return key;
  }

  /** Records where a node of a built schema comes from, for error locations. */
  markOrigin(node: object, origin: Location): void {
    this.origins.set(node, origin);
  }

  /** The `$ref` that points at a def from inside the bundle. */
  static localRef(key: string): string {
    return `#/$defs/${key}`;
  }

  /** True when some translated schema uses `unevaluatedItems` or `unevaluatedProperties`. */
  usesUnevaluated(): boolean {
    return this.unevaluated;
  }

  /** The schema to register with Ajv (once per contract). */
  root(): Record<string, unknown> {
    return { $id: BUNDLE_ID, $defs: this.defs };
  }

  /** Def keys in the order they were added, with their translated schemas. */
  entries(): Array<[string, unknown]> {
    return Object.entries(this.defs);
  }

  /** Follows a `$ref` of the contract (for callers that read original schemas, like parameter plans). */
  resolveRef(ref: string, file: string, schemaPointer: string): Resolved {
    return this.resolver.resolve(ref, file, schemaPointer, undefined);
  }

  /** The contract location of a bundle node given by segments from the bundle root (`$defs`, key, …). */
  locate(segments: readonly string[]): Location {
    const fallback: Location = { file: this.doc.file, pointer: '' };
    if (segments[0] !== '$defs' || segments.length < 2) return fallback;
    let location = this.defOrigins.get(segments[1]!) ?? fallback;
    let rest: string[] = [];
    let node: unknown = this.defs[segments[1]!];
    for (const segment of segments.slice(2)) {
      node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
      rest.push(segment);
      const origin = node !== null && typeof node === 'object' ? this.origins.get(node) : undefined;
      if (origin) {
        location = origin;
        rest = [];
      }
    }
    return { file: location.file, pointer: location.pointer + rest.map((s) => `/${escapeToken(s)}`).join('') };
  }

  /** The dynamic scope once evaluation enters `resource` (the document itself when undefined). */
  private enter(dynamic: DynamicScope, resource: SchemaResource | undefined, file: string): DynamicScope {
    const declared = this.resolver.dynamicAnchorsOf(resource, file);
    if (!declared) return dynamic;
    let entered: Map<string, Location> | undefined;
    for (const [name, location] of declared) {
      if (dynamic.has(name)) continue;
      entered ??= new Map(dynamic);
      entered.set(name, location);
    }
    return entered ?? dynamic;
  }

  private translate(
    schema: unknown,
    file: string,
    pointer: string,
    direction: Direction,
    resource: SchemaResource | undefined,
    dynamic: DynamicScope,
  ): unknown {
    if (!isObject(schema)) return schema;
    if (this.is30 && typeof schema.$ref === 'string') {
      // OpenAPI 3.0: a Reference Object's siblings are ignored, except `nullable`, which authors
      // put there to mean "this, or null"; ignoring it would reject the nulls they intend to send.
      const ref = { $ref: this.refTarget(schema.$ref, file, pointer, direction, resource, dynamic, false) };
      this.origins.set(ref, { file, pointer });
      return schema.nullable === true ? { anyOf: [{ type: 'null' }, ref] } : ref;
    }
    let scope = resource;
    let inScope = dynamic;
    if (!this.is30 && typeof schema.$id === 'string') {
      scope = { file, pointer, id: absoluteUri(schema.$id, resource?.id) ?? schema.$id };
      inScope = this.enter(dynamic, scope, file);
    }
    const out: Record<string, unknown> = {};
    let emptyEnum = false;
    for (const key of Object.keys(schema)) {
      const value = schema[key];
      const at = `${pointer}/${escapeToken(key)}`;
      if (key === 'unevaluatedItems' || key === 'unevaluatedProperties') this.unevaluated = true;
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-') || key === '$defs' || key === 'definitions') {
        // $defs are reached through references, each becoming a def of its own.
        continue;
      }
      if (key === '$ref' || key === '$dynamicRef') {
        if (typeof value !== 'string') {
          out[key] = value;
          continue;
        }
        out.$ref = this.refTarget(value, file, pointer, direction, scope, inScope, key === '$dynamicRef');
      } else if (key === 'nullable') {
        if (!this.is30) this.hooks.warn(file, at, 'nullable has no meaning in OpenAPI 3.1 and is ignored; use a type array with "null"');
      } else if (key === 'format' && typeof value === 'string' && !this.hooks.isKnownFormat(value)) {
        this.hooks.warn(file, at, `unknown format "${value}" is not checked`);
      } else if (SINGLE_SCHEMA_KEYWORDS.has(key)) {
        out[key] = this.translate(value, file, at, direction, scope, inScope);
      } else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
        if (key === 'patternProperties') for (const name of Object.keys(value)) this.assertLinear(name, file, `${at}/${escapeToken(name)}`);
        const map: Record<string, unknown> = {};
        for (const name of Object.keys(value)) {
          // A property named `__proto__` must stay a property, not become the map's prototype.
          setOwn(map, name, this.translate(value[name], file, `${at}/${escapeToken(name)}`, direction, scope, inScope));
        }
        out[key] = map;
      } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
        out[key] = value.map((item, index) => this.translate(item, file, `${at}/${index}`, direction, scope, inScope));
      } else {
        if (key === 'pattern' && typeof value === 'string') this.assertLinear(value, file, at);
        if (key === 'enum' && Array.isArray(value) && value.length === 0) {
          // An empty enum admits nothing (JSON Schema); Ajv refuses to compile it, `false` says the same.
          emptyEnum = true;
          continue;
        }
        setOwn(out, key, value);
      }
    }
    if (emptyEnum) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), false];
    if (this.is30) translate30Numbers(out);
    protoPropertyAsPattern(out);
    this.dropHiddenRequired(schema, out, file, pointer, direction, scope);
    this.origins.set(out, { file, pointer });
    if (this.is30 && schema.nullable === true) return this.nullable30(out);
    return out;
  }

  /**
   * The bundle `$ref` for a reference. A `$dynamicRef` to a plain name whose static target declares
   * that name as its `$dynamicAnchor` goes to the outermost schema in the dynamic scope declaring it
   * (JSON Schema 2020-12); otherwise it is a plain `$ref`.
   */
  private refTarget(
    ref: string,
    file: string,
    pointer: string,
    direction: Direction,
    resource: SchemaResource | undefined,
    dynamic: DynamicScope,
    isDynamic: boolean,
  ): string {
    let target: Resolved = this.resolver.resolve(ref, file, pointer, resource);
    if (isDynamic) {
      const hash = ref.indexOf('#');
      const name = hash < 0 ? '' : ref.slice(hash + 1);
      const outermost = name !== '' && !name.startsWith('/') ? dynamic.get(name) : undefined;
      if (outermost && this.resolver.dynamicAnchorAt(target) === name) {
        target = { ...outermost, value: getAt(this.doc.sourceOf(outermost.file).data, fromPointer(outermost.pointer)) };
      }
    }
    return SchemaBundle.localRef(this.defFor(target.value, target.file, target.pointer, direction, dynamic));
  }

  /** Refuses, at its own pointer, a pattern the linear-time engine cannot evaluate (see linear-pattern.ts). */
  private assertLinear(pattern: string, file: string, pointer: string): void {
    try {
      translatePattern(pattern);
    } catch (error) {
      if (!(error instanceof PatternRefusal)) throw error;
      // Invalid syntax is left to Ajv, whose refusal names the keyword the same way for every schema error.
      if (error.kind === 'syntax') return;
      throw new ContractError('CONTRACT_INVALID', file, pointer, error.message, this.doc.lineOf(file, pointer));
    }
  }

  /**
   * OpenAPI 3.0 `nullable: true` adds "null" to `type`. Without a `type` (typically next to `allOf`
   * with one `$ref`) 3.0.3 gives it no effect, but authors mean "or null", so null is accepted then too.
   */
  private nullable30(out: Record<string, unknown>): Record<string, unknown> {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      return out;
    }
    if (Array.isArray(out.type)) {
      if (!out.type.includes('null')) out.type = [...out.type, 'null'];
      return out;
    }
    return { anyOf: [{ type: 'null' }, out] };
  }

  /** Removes from `required` the properties this direction never sees (readOnly in requests, writeOnly in responses). */
  private dropHiddenRequired(
    schema: Record<string, unknown>,
    out: Record<string, unknown>,
    file: string,
    pointer: string,
    direction: Direction,
    resource: SchemaResource | undefined,
  ): void {
    if (!Array.isArray(out.required) || out.required.length === 0) return;
    const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
    const kept = out.required.filter((name) => {
      if (typeof name !== 'string') return true;
      const property = this.findProperty({ value: schema, file, pointer }, name, resource, 0);
      return !(property && this.hasFlag(property, flag, resource, 0));
    });
    if (kept.length !== out.required.length) out.required = kept;
  }

  /** The schema of a property, declared here or in an `allOf` member (through references). */
  private findProperty(at: Resolved, name: string, resource: SchemaResource | undefined, depth: number): Resolved | undefined {
    if (depth > MAX_FLAG_DEPTH || !isObject(at.value)) return undefined;
    const schema = at.value;
    const properties = schema.properties;
    if (isObject(properties) && Object.prototype.hasOwnProperty.call(properties, name)) {
      return { value: properties[name], file: at.file, pointer: `${at.pointer}/properties/${escapeToken(name)}` };
    }
    if (Array.isArray(schema.allOf)) {
      for (let i = 0; i < schema.allOf.length; i++) {
        const member = this.follow({ value: schema.allOf[i], file: at.file, pointer: `${at.pointer}/allOf/${i}` }, resource);
        const found = this.findProperty(member, name, resource, depth + 1);
        if (found) return found;
      }
    }
    if (typeof schema.$ref === 'string') return this.findProperty(this.follow(at, resource), name, resource, depth + 1);
    return undefined;
  }

  /** True when a schema (or what it refers to, or an `allOf` member) sets `readOnly`/`writeOnly`. */
  private hasFlag(at: Resolved, flag: 'readOnly' | 'writeOnly', resource: SchemaResource | undefined, depth: number): boolean {
    if (depth > MAX_FLAG_DEPTH || !isObject(at.value)) return false;
    const schema = at.value;
    if (schema[flag] === true) return true;
    if (Array.isArray(schema.allOf)) {
      for (let i = 0; i < schema.allOf.length; i++) {
        const member = { value: schema.allOf[i], file: at.file, pointer: `${at.pointer}/allOf/${i}` };
        if (this.hasFlag(member, flag, resource, depth + 1)) return true;
      }
    }
    if (typeof schema.$ref === 'string') return this.hasFlag(this.follow(at, resource), flag, resource, depth + 1);
    return false;
  }

  private follow(at: Resolved, resource: SchemaResource | undefined): Resolved {
    if (!isObject(at.value) || typeof at.value.$ref !== 'string') return at;
    return this.resolver.resolve(at.value.$ref, at.file, at.pointer, resource);
  }
}

/**
 * Ajv skips a property named `__proto__` in `properties` (a guard of its own), so a body's own
 * `__proto__` member would go unchecked. The same rule as an exact-name `patternProperties` entry
 * is checked (a parsed JSON body has `__proto__` as an own, enumerable member) and still counts as
 * declared for `additionalProperties`.
 */
function protoPropertyAsPattern(out: Record<string, unknown>): void {
  const properties = out.properties;
  if (!isObject(properties) || !Object.prototype.hasOwnProperty.call(properties, '__proto__')) return;
  const schema = properties.__proto__;
  const rest: Record<string, unknown> = {};
  for (const name of Object.keys(properties)) if (name !== '__proto__') rest[name] = properties[name];
  const patterns: Record<string, unknown> = isObject(out.patternProperties) ? { ...out.patternProperties } : {};
  let key = '^__proto__$';
  while (Object.prototype.hasOwnProperty.call(patterns, key)) key = `(?:${key})`;
  patterns[key] = schema;
  out.properties = rest;
  out.patternProperties = patterns;
}

/** A dynamic scope as part of a def's identity: empty for the empty scope. */
function scopeSignature(scope: DynamicScope): string {
  if (scope.size === 0) return '';
  return ` dyn(${[...scope].map(([name, at]) => `${name}=${at.file}#${at.pointer}`).sort().join(',')})`;
}

/** OpenAPI 3.0 (JSON Schema draft 4) boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric 2020-12 form. */
function translate30Numbers(out: Record<string, unknown>): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const flag = out[exclusive];
    if (typeof flag !== 'boolean') continue;
    if (flag && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
}
