/**
 * Finds the path items (and webhooks) that are the same in both versions of a contract, down to
 * every component their `$ref`s reach, so that the comparison can leave them out: nothing in them
 * can have changed, and nothing in them is reported unless it changed (but for an invalid
 * `x-stability-level`, whose items are always compared).
 */
import { isObject, type JsonObject, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { readStability } from './lifecycle.js';
import { HTTP_METHODS } from './operations.js';

/*
 * Why: most of a large contract is unchanged between two versions (the benchmark revision changes
 * 55 places among 1,500 operations), yet every operation was read into the comparison model and
 * every schema pair fingerprinted: about half of a diff's time. Reading the raw data side by side
 * costs a fraction of that and allocates nothing.
 *
 * What "unchanged" must cover, for leaving an item out to change no finding: every check compares
 * an operation with its own counterpart, reading the operation, the path item, and what their
 * `$ref`s reach (parameters, bodies, responses, headers, schemas, and the schemas a
 * discriminator's mapping names). Beyond those, only document-level settings are read: the
 * OpenAPI version (3.0 and 3.1 read schemas differently), `jsonSchemaDialect` and the
 * document-level `security` (operations without their own inherit it; api-security also asks
 * whether any operation inherits it at all); the security schemes are compared on their own
 * (components-security), not per operation. So items are left out only when those are the same in
 * both versions, and an item only when its raw data is equal and every reference
 * in it reaches, through local references only, data that is equal too. A reference to another
 * file, or one that does not resolve, makes its item compared as before (and an error is then
 * reported exactly as before).
 */

/** JSON values equal as data: the same members (in any order), the same items in order. */
function sameScalarOrShape(a: unknown, b: unknown): boolean | undefined {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // Equal numbers are ===, except NaN (YAML's .nan), which equals nothing: compared in full.
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Only plain data is read here (a Date, say, has no members to compare): anything else differs.
  if (!Array.isArray(a) && (!isPlain(a) || !isPlain(b))) return false;
  return undefined;
}

function isPlain(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Plain deep equality of two JSON values, with no `$ref` followed. */
function sameData(a: unknown, b: unknown): boolean {
  const shallow = sameScalarOrShape(a, b);
  if (shallow !== undefined) return shallow;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], other[i])) return false;
    return true;
  }
  const left = a as JsonObject;
  const right = b as JsonObject;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(right, key) || !sameData(left[key], right[key])) return false;
  }
  return true;
}

/** Members whose values are data, not OpenAPI or schema objects: compared member for member. */
const DATA_VALUED: ReadonlySet<string> = new Set(['default', 'enum', 'const', 'example', 'examples', 'mapping']);

/** Members whose values are maps keyed by names (of properties, headers, media types, …), not by keywords. */
const NAME_KEYED: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'headers',
  'content',
  'encoding',
  'links',
  'callbacks',
  'responses',
  'variables',
  'schemas',
  'parameters',
  'requestBodies',
  'securitySchemes',
  'pathItems',
]);

/** Text members that document an object. */
const DOCUMENTATION_TEXT: ReadonlySet<string> = new Set(['description', 'summary']);

/** A member that only documents: a `description` or `summary` text, or an `externalDocs` of texts, on each side that has it. */
function isDocumentation(key: string, left: unknown, right: unknown): boolean {
  const text = (value: unknown): boolean => value === undefined || typeof value === 'string';
  if (DOCUMENTATION_TEXT.has(key)) return text(left) && text(right);
  if (key !== 'externalDocs') return false;
  const texts = (value: unknown): boolean => value === undefined || (isObject(value) && isPlain(value) && Object.values(value).every((member) => typeof member === 'string'));
  return texts(left) && texts(right);
}

/** A reference being decided: its place in the walk, the lowest place it reaches, its own data's outcome. */
interface OpenReference {
  ref: string;
  index: number;
  low: number;
  ok: boolean;
}

/** Which path items (or webhooks) of a document pair are unchanged, references included. */
export class UnchangedPathItems {
  private readonly comparable: boolean;
  /** Outcome per reference string, once decided. */
  private readonly references = new Map<string, boolean>();
  /** References being decided (Tarjan's stack), by reference and in order. */
  private readonly open = new Map<string, OpenReference>();
  private readonly stack: OpenReference[] = [];
  private nextIndex = 0;
  /** The reference whose data is being compared, if any. */
  private current: OpenReference | undefined;

  constructor(
    private readonly base: OpenApiDocument,
    private readonly revision: OpenApiDocument,
  ) {
    this.comparable =
      base.majorMinor === revision.majorMinor &&
      sameData(base.data.jsonSchemaDialect, revision.data.jsonSchemaDialect) &&
      sameData(base.data.security, revision.data.security);
  }

  /** True when the item at `section`/`key` is the same in both versions, with everything it references. */
  unchanged(section: 'paths' | 'webhooks', key: string): boolean {
    if (!this.comparable) return false;
    const inBase = this.base.data[section];
    const inRevision = this.revision.data[section];
    if (!isObject(inBase) || !isObject(inRevision)) return false;
    if (!Object.prototype.hasOwnProperty.call(inBase, key) || !Object.prototype.hasOwnProperty.call(inRevision, key)) return false;
    if (!this.same(inBase[key], inRevision[key])) return false;
    // api-stability reports an invalid x-stability-level on either side even when nothing changed.
    let item: unknown;
    try {
      item = this.base.deref(inBase[key], this.base.file, '').value;
    } catch {
      return false;
    }
    if (!isObject(item)) return false;
    for (const method of HTTP_METHODS) {
      if (isObject(item[method]) && 'invalid' in readStability(item[method])) return false;
    }
    return true;
  }

  /**
   * Deep equality that also requires every `$ref` (and discriminator mapping) inside to reach
   * unchanged data, with one exception: documentation that no check reads may differ (real
   * releases change little else in most items: a version number in a link, a typo), that is a
   * `description` or `summary` whose value is text on each side that has it, and an
   * `externalDocs` object of texts. Inside values that are data (`default`, `enum`, `const`,
   * examples, a discriminator's `mapping`, `x-` extensions) and in maps keyed by names
   * (`properties`, `headers`, `content`, …) every member counts, whatever its name; and a member
   * named `description` whose value is not text is compared like any other.
   */
  private same(a: unknown, b: unknown, inData = false, names = false): boolean {
    const shallow = sameScalarOrShape(a, b);
    if (shallow !== undefined) return shallow;
    if (Array.isArray(a)) {
      const other = b as unknown[];
      if (a.length !== other.length) return false;
      for (let i = 0; i < a.length; i++) if (!this.same(a[i], other[i], inData)) return false;
      return true;
    }
    const left = a as JsonObject;
    const right = b as JsonObject;
    // In a map keyed by names (properties, headers, …) a member called `description` is a name.
    const documentation = !inData && !names;
    for (const key of Object.keys(left)) {
      const l = left[key];
      const inRight = Object.prototype.hasOwnProperty.call(right, key);
      const r = inRight ? right[key] : undefined;
      if (documentation && isDocumentation(key, l, r)) continue;
      if (!inRight || !this.same(l, r, inData || DATA_VALUED.has(key) || key.startsWith('x-'), !names && NAME_KEYED.has(key))) return false;
    }
    for (const key of Object.keys(right)) {
      if (Object.prototype.hasOwnProperty.call(left, key)) continue;
      if (!documentation || !isDocumentation(key, undefined, right[key])) return false;
    }
    if (inData) return true;
    // Equal data: the references are the same strings on both sides.
    if (typeof left.$ref === 'string' && !this.referenceUnchanged(left.$ref)) return false;
    if (isObject(left.discriminator) && isObject(left.discriminator.mapping)) {
      for (const target of Object.values(left.discriminator.mapping)) {
        if (typeof target !== 'string') continue;
        if (!this.referenceUnchanged(target.startsWith('#') ? target : `#/components/schemas/${target}`)) return false;
      }
    }
    return true;
  }

  /**
   * Whether the data `ref` names is unchanged, with everything it references. References form a
   * graph with cycles (recursive schemas); within a strongly connected part every member reaches
   * every other, so they are all unchanged or all changed: decided together when the part is
   * complete (Tarjan's algorithm), each reference evaluated once, so linear in the data reached.
   */
  private referenceUnchanged(ref: string): boolean {
    const decided = this.references.get(ref);
    if (decided !== undefined) return decided;
    const caller = this.current;
    const open = this.open.get(ref);
    if (open !== undefined) {
      // On the stack: part of the caller's cycle, decided with it.
      if (caller !== undefined) caller.low = Math.min(caller.low, open.index);
      return true;
    }
    const state: OpenReference = { ref, index: this.nextIndex, low: this.nextIndex, ok: true };
    this.nextIndex++;
    this.open.set(ref, state);
    this.stack.push(state);
    this.current = state;
    if (!ref.startsWith('#')) state.ok = false;
    else {
      try {
        const b = this.base.resolveRef(ref, this.base.file);
        const r = this.revision.resolveRef(ref, this.revision.file);
        state.ok = b.file === this.base.file && r.file === this.revision.file && this.same(b.value, r.value);
      } catch {
        state.ok = false;
      }
    }
    this.current = caller;
    if (caller !== undefined) caller.low = Math.min(caller.low, state.low);
    if (state.low === state.index) {
      const members: OpenReference[] = [];
      let member: OpenReference;
      do {
        member = this.stack.pop()!;
        members.push(member);
      } while (member !== state);
      const outcome = members.every((m) => m.ok);
      for (const m of members) {
        this.open.delete(m.ref);
        this.references.set(m.ref, outcome);
      }
      return outcome;
    }
    // Open still: the cycle's root decides; until then this holds as far as this reference goes.
    return state.ok;
  }
}
