/**
 * Rewrites a schema node into a canonical form that accepts the same values, so the walk compares
 * meaning, not spelling: one-member compositions unwrapped, `allOf` merged where merging keeps the
 * meaning, and a `oneOf`/`anyOf` of enums read as one enum.
 */
import { isObject, type JsonObject, type OpenApiDocument } from '../../../contracts/openapi-document.js';
import { canonical } from './keyword-checks.js';
import { ANNOTATION_KEYWORDS, childNode, keywordLocation, type NodeLocation, type SchemaNode } from './schema-node.js';

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Keywords that change nothing a value must satisfy (a wrapper holding only these adds nothing). */
function isAnnotation(key: string): boolean {
  return ANNOTATION_KEYWORDS.has(key) || key.startsWith('x-');
}

/** Keywords whose meaning depends on the other keywords of the same schema object: merging would change it. */
const CONTEXT_BOUND = new Set(['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'discriminator']);

// A merge chain deeper than this is left as written (it is compared keyword by keyword instead).
const MAX_DEPTH = 32;

/** Normalises nodes of one document, each once. One instance per document and comparison. */
export class SchemaNormaliser {
  private readonly done = new Map<string, SchemaNode>();
  private readonly active = new Set<string>();

  constructor(private readonly doc: OpenApiDocument) {}

  /** The canonical form of `node` (the node itself when nothing applies). */
  normalise(node: SchemaNode, depth = 0): SchemaNode {
    const known = this.done.get(node.key);
    if (known) return known;
    if (this.active.has(node.key) || depth > MAX_DEPTH) return node;
    this.active.add(node.key);
    let result: SchemaNode;
    try {
      result = this.unwrap(node, depth) ?? this.mergeAllOf(node, depth) ?? this.joinEnums(node) ?? node;
    } finally {
      this.active.delete(node.key);
    }
    this.done.set(node.key, result);
    return result;
  }

  private members(node: SchemaNode, keyword: string): SchemaNode[] | undefined {
    const list = node.value[keyword];
    if (!Array.isArray(list)) return undefined;
    const out: SchemaNode[] = [];
    for (let i = 0; i < list.length; i++) {
      const member = childNode(this.doc, node, keyword, i);
      if (!member) return undefined;
      out.push(member);
    }
    return out;
  }

  /** `{description, allOf: [X]}` (or anyOf/oneOf) with nothing else that constrains: X. */
  private unwrap(node: SchemaNode, depth: number): SchemaNode | undefined {
    const keys = Object.keys(node.value);
    const compositions = keys.filter((k) => (COMPOSITIONS as readonly string[]).includes(k));
    if (compositions.length !== 1) return undefined;
    const [keyword] = compositions as [string];
    if (!keys.every((k) => k === keyword || isAnnotation(k))) return undefined;
    const members = this.members(node, keyword);
    if (!members || members.length !== 1) return undefined;
    return this.normalise(members[0]!, depth + 1);
  }

  /**
   * `allOf` whose members (and the keywords beside it) never constrain the same keyword differently:
   * one schema with every keyword, `properties` united and `required` joined. Left as written when a
   * keyword clashes, when a member's meaning depends on its own object (additionalProperties,
   * discriminator…), or when a member lives in another file (its `$ref`s resolve from there).
   */
  private mergeAllOf(node: SchemaNode, depth: number): SchemaNode | undefined {
    const raw = this.members(node, 'allOf');
    if (!raw || raw.length === 0) return undefined;
    const own: SchemaNode = { ...node, value: withoutKey(node.value, 'allOf') };
    const sources = [own, ...raw.map((m) => this.normalise(m, depth + 1))];
    if (sources.some((s) => s.file !== node.file || s.siblings !== undefined)) return undefined;
    const shapes = (s: SchemaNode): boolean => s.value.properties !== undefined || s.value.patternProperties !== undefined;
    // additionalProperties (and the like) judge only the properties of their own object: merging
    // them with another member's properties would change what they let through.
    for (const source of sources) {
      if (Object.keys(source.value).some((k) => CONTEXT_BOUND.has(k)) && sources.some((other) => other !== source && shapes(other))) return undefined;
    }
    const value: JsonObject = {};
    const origins = new Map<string, NodeLocation>();
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const source of sources) {
      for (const [key, v] of Object.entries(source.value)) {
        if (key === 'allOf') return undefined;
        if (key === 'properties') {
          if (!isObject(v)) return undefined;
          for (const [name, schema] of Object.entries(v)) {
            if (Object.prototype.hasOwnProperty.call(properties, name)) return undefined;
            properties[name] = schema;
            origins.set(`properties/${name}`, source.origins?.get(`properties/${name}`) ?? holder(source, 'properties'));
          }
          continue;
        }
        if (key === 'required') {
          if (!Array.isArray(v)) return undefined;
          for (const name of v) if (typeof name === 'string' && !required.includes(name)) required.push(name);
          if (!origins.has('required')) origins.set('required', holder(source, 'required'));
          continue;
        }
        if (Object.prototype.hasOwnProperty.call(value, key)) {
          if (isAnnotation(key)) continue;
          if (canonical(value[key]) !== canonical(v)) return undefined;
          continue;
        }
        value[key] = v;
        origins.set(key, holder(source, key));
      }
    }
    if (Object.keys(properties).length > 0) value.properties = properties;
    if (required.length > 0) value.required = required;
    const merged: SchemaNode = { file: node.file, pointer: node.pointer, key: `${node.key}\u0000merged`, value, origins, version: node.version };
    if (node.ref !== undefined) merged.ref = node.ref;
    // Nothing but the one member was written: it is that member (keeps its `$ref` name for matching).
    if (sources.length === 2 && Object.keys(own.value).every(isAnnotation)) return sources[1];
    return merged;
  }

  /** `oneOf`/`anyOf` whose untitled members only list values (`enum` or `const`, one common type): one `enum`. */
  private joinEnums(node: SchemaNode): SchemaNode | undefined {
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const members = this.members(node, keyword);
      if (!members || members.length < 2 || node.value.enum !== undefined || node.value.const !== undefined) continue;
      if (Object.keys(node.value).some((k) => k !== keyword && k !== 'type' && !isAnnotation(k) && k !== 'nullable')) continue;
      const values: unknown[] = [];
      const seen = new Set<string>();
      let type: unknown = node.value.type;
      let ok = true;
      for (const member of members) {
        const v = member.value;
        // A titled member is a named variant: it stays a member, compared as one.
        if (v.title !== undefined || Object.keys(v).some((k) => k !== 'enum' && k !== 'const' && k !== 'type' && !isAnnotation(k))) {
          ok = false;
          break;
        }
        const listed = Array.isArray(v.enum) ? v.enum : v.const !== undefined ? [v.const] : undefined;
        if (!listed || (v.enum !== undefined && v.const !== undefined)) {
          ok = false;
          break;
        }
        if (v.type !== undefined) {
          if (type !== undefined && canonical(type) !== canonical(v.type)) {
            ok = false;
            break;
          }
          type = v.type;
        }
        for (const item of listed) {
          const text = canonical(item);
          if (!seen.has(text)) {
            seen.add(text);
            values.push(item);
          }
        }
      }
      if (!ok) continue;
      const value: JsonObject = withoutKey(node.value, keyword);
      value.enum = values;
      if (type !== undefined) value.type = type;
      const at = holder(node, keyword);
      const origins = new Map<string, NodeLocation>([['enum', at], ['type', at]]);
      const joined: SchemaNode = { ...node, key: `${node.key}\u0000enum`, value, origins };
      delete joined.siblings;
      return joined;
    }
    return undefined;
  }
}

function withoutKey(value: JsonObject, key: string): JsonObject {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** The object that holds a keyword of `node` (origins name holders: the keyword is appended to them). */
function holder(node: SchemaNode, key: string): NodeLocation {
  const at = keywordLocation(node, key);
  const cut = at.pointer.lastIndexOf('/');
  return { file: at.file, pointer: cut < 0 ? at.pointer : at.pointer.slice(0, cut) };
}
