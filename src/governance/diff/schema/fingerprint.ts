/**
 * Structural fingerprints of resolved schemas, so that a pair of identical sub-schemas is recognised
 * in one lookup instead of a walk (most of a large contract is unchanged between versions).
 */
import type { OpenApiDocument } from '../../../contracts/openapi-document.js';
import { isObject } from '../../../contracts/openapi-document.js';
import { canonical } from './keyword-checks.js';
import { ANNOTATION_KEYWORDS, childNode, type SchemaNode } from './schema-node.js';

/** Keywords whose values are sub-schemas (fingerprinted after following their `$ref`s). */
const SCHEMA_KEYWORDS = new Set(['items', 'not', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'contentSchema']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'dependentSchemas']);

/**
 * Fingerprints of the schemas of one pair of documents. Equal fingerprints mean equal schemas
 * (interned, so no hash collisions), documentation keywords aside. A schema that reaches a cycle
 * of `$ref`s gets none and is compared in full.
 */
export class SchemaFingerprints {
  private readonly interned = new Map<string, number>();
  /** Per document: its nodes' fingerprints (two documents may use the same file names). */
  private readonly byDocument = new Map<OpenApiDocument, Map<string, number | null>>();
  private readonly active = new Set<string>();

  /** True when both schemas are known to be the same. */
  same(baseDoc: OpenApiDocument, base: SchemaNode, revisionDoc: OpenApiDocument, revision: SchemaNode): boolean {
    if (base.version !== revision.version) return false;
    const b = this.of(baseDoc, base);
    return b !== null && b === this.of(revisionDoc, revision);
  }

  private of(doc: OpenApiDocument, node: SchemaNode): number | null {
    let byNode = this.byDocument.get(doc);
    if (!byNode) {
      byNode = new Map();
      this.byDocument.set(doc, byNode);
    }
    const known = byNode.get(node.key);
    if (known !== undefined) return known;
    if (this.active.has(node.key)) return null;
    this.active.add(node.key);
    let result: number | null;
    try {
      result = this.compute(doc, node);
    } finally {
      this.active.delete(node.key);
    }
    byNode.set(node.key, result);
    return result;
  }

  private child(doc: OpenApiDocument, node: SchemaNode, ...tokens: Array<string | number>): string | null {
    const raw = tokens.reduce<unknown>((v, t) => (isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[t] : undefined), node.value);
    if (typeof raw === 'boolean') return String(raw);
    const sub = childNode(doc, node, ...tokens);
    if (!sub) return 'absent';
    const id = this.of(doc, sub);
    return id === null ? null : `#${id}`;
  }

  private compute(doc: OpenApiDocument, node: SchemaNode): number | null {
    const parts: string[] = [];
    for (const key of Object.keys(node.value).sort()) {
      if (ANNOTATION_KEYWORDS.has(key) && key !== 'title') continue;
      const value = node.value[key];
      let part: string | null;
      if (SCHEMA_KEYWORDS.has(key)) {
        part = this.child(doc, node, key);
      } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
        const items: string[] = [];
        part = '';
        for (let i = 0; i < value.length && part !== null; i++) {
          const item = this.child(doc, node, key, i);
          if (item === null) part = null;
          else items.push(item);
        }
        if (part !== null) part = `[${items.join(',')}]`;
      } else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
        const entries: string[] = [];
        part = '';
        for (const name of Object.keys(value).sort()) {
          const item = this.child(doc, node, key, name);
          if (item === null) {
            part = null;
            break;
          }
          entries.push(`${JSON.stringify(name)}:${item}`);
        }
        if (part !== null) part = `{${entries.join(',')}}`;
      } else {
        part = canonical(value);
      }
      if (part === null) return null;
      parts.push(`${JSON.stringify(key)}=${part}`);
    }
    const text = parts.join(';');
    let id = this.interned.get(text);
    if (id === undefined) {
      id = this.interned.size;
      this.interned.set(text, id);
    }
    return id;
  }
}
