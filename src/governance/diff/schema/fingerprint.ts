/**
 * Structural fingerprints of resolved schemas, so that a pair of identical sub-schemas is recognised
 * in one lookup instead of a walk (most of a large contract is unchanged between versions).
 */
import { isObject, type JsonObject, type OpenApiDocument } from '../../../contracts/openapi-document.js';
import { canonical } from './keyword-checks.js';
import { ANNOTATION_KEYWORDS, type SchemaNode } from './schema-node.js';

/** Keywords whose values are sub-schemas (fingerprinted after following their `$ref`s). */
const SCHEMA_KEYWORDS = new Set(['items', 'not', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'contentSchema']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'dependentSchemas']);

/**
 * Fingerprints of the schemas of one pair of documents. Equal fingerprints mean equal schemas
 * (interned texts, so no hash collisions), documentation keywords aside. A schema that reaches a
 * cycle of `$ref`s gets none and is compared in full. Keyed by the parsed objects themselves, which
 * are distinct per document and per location.
 */
export class SchemaFingerprints {
  private readonly interned = new Map<string, number>();
  private readonly known = new WeakMap<object, number | null>();
  private readonly active = new Set<object>();

  /** True when both schemas are known to be the same. */
  same(baseDoc: OpenApiDocument, base: SchemaNode, revisionDoc: OpenApiDocument, revision: SchemaNode): boolean {
    if (base.version !== revision.version) return false;
    const b = this.ofObject(baseDoc, base.value, base.file);
    return b !== null && b === this.ofObject(revisionDoc, revision.value, revision.file);
  }

  /** The fingerprint of a sub-schema value found in `file` (a `$ref`, a boolean, or keywords). */
  private ofValue(doc: OpenApiDocument, value: unknown, file: string): string | null {
    if (typeof value === 'boolean') return String(value);
    if (!isObject(value)) return 'absent';
    const id = this.ofObject(doc, value, file);
    return id === null ? null : `#${id}`;
  }

  private ofObject(doc: OpenApiDocument, value: JsonObject, file: string): number | null {
    const known = this.known.get(value);
    if (known !== undefined) return known;
    if (this.active.has(value)) return null;
    this.active.add(value);
    let result: number | null;
    try {
      result = this.compute(doc, value, file);
    } finally {
      this.active.delete(value);
    }
    this.known.set(value, result);
    return result;
  }

  private compute(doc: OpenApiDocument, value: JsonObject, file: string): number | null {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      if (ANNOTATION_KEYWORDS.has(key) && key !== 'title') continue;
      const part = key === '$ref' ? this.ofReference(doc, value[key], file) : this.ofKeyword(doc, key, value[key], file);
      if (part === null) return null;
      parts.push(`${key}=${part}`);
    }
    const text = parts.join(';');
    let id = this.interned.get(text);
    if (id === undefined) {
      id = this.interned.size;
      this.interned.set(text, id);
    }
    return id;
  }

  private ofReference(doc: OpenApiDocument, ref: unknown, file: string): string | null {
    if (typeof ref !== 'string') return canonical(ref);
    const target = doc.resolveRef(ref, file);
    return this.ofValue(doc, target.value, target.file);
  }

  private ofKeyword(doc: OpenApiDocument, key: string, value: unknown, file: string): string | null {
    if (SCHEMA_KEYWORDS.has(key)) return this.ofValue(doc, value, file);
    if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      const items: string[] = [];
      for (const item of value) {
        const part = this.ofValue(doc, item, file);
        if (part === null) return null;
        items.push(part);
      }
      return `[${items.join(',')}]`;
    }
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      const entries: string[] = [];
      for (const name of Object.keys(value).sort()) {
        const part = this.ofValue(doc, value[name], file);
        if (part === null) return null;
        entries.push(`${JSON.stringify(name)}:${part}`);
      }
      return `{${entries.join(',')}}`;
    }
    return canonical(value);
  }
}
