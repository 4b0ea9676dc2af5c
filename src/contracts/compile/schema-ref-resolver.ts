/** Resolves a schema `$ref` both the JSON Schema 2020-12 way ($id, $anchor) and the OpenAPI way (document pointers, relative files). */
import { ContractError, type Location, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken, fromPointer, getAt } from '../json-pointer.js';
import { SCHEMA_MAP_KEYWORDS } from './schema-keywords.js';

/** The schema resource a `$ref` sits in: the nearest enclosing schema that has an `$id`. */
export interface SchemaResource extends Location {
  /** The resource's `$id`, made absolute against its parent resource where possible. */
  id: string;
}

/** Keys under which data (not schemas) lives; an `$id` inside an example is not an identifier. */
const DATA_KEYS: ReadonlySet<string> = new Set(['example', 'examples', 'enum', 'const', 'default']);

/**
 * Resolves references inside schemas of one contract. Identifiers and anchors are indexed per file,
 * once, the first time a file is involved in a resolution (3.1 only: 3.0 schemas have neither).
 */
export class SchemaRefResolver {
  private readonly doc: OpenApiDocument;
  private readonly hasIdentifiers: boolean;
  private readonly indexedFiles = new Set<string>();
  private readonly ids = new Map<string, Location>();
  private readonly anchors = new Map<string, Location>();
  /** Per resource (its id, or the file for the document itself): `$dynamicAnchor` name -> schema. */
  private readonly dynamicAnchors = new Map<string, Map<string, Location>>();

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    this.hasIdentifiers = doc.majorMinor === '3.1';
    // Indexed now, not on the first reference: two schemas with one `$id` are refused even if
    // nothing refers to them yet.
    this.index(doc.file);
  }

  /**
   * The schema resource that encloses the schema at `pointer`: the nearest schema with an `$id` on
   * the way from the document root to it (itself excluded: its own `$id` is resolved against this
   * one), or undefined for the document.
   */
  resourceAt(file: string, pointer: string): SchemaResource | undefined {
    if (!this.hasIdentifiers) return undefined;
    let segments: string[];
    try {
      segments = fromPointer(pointer);
    } catch {
      return undefined;
    }
    let node: unknown = this.doc.sourceOf(file).data;
    let resource: SchemaResource | undefined;
    let at = '';
    let names = false;
    for (const segment of segments) {
      if (node === null || typeof node !== 'object') return resource;
      if (!names) {
        const id = Array.isArray(node) ? undefined : (node as Record<string, unknown>).$id;
        if (typeof id === 'string') resource = { file, pointer: at, id: absoluteUri(id, resource?.id) ?? stripFragment(id) };
        if (DATA_KEYS.has(segment)) return resource;
      }
      names = !names && SCHEMA_MAP_KEYWORDS.has(segment);
      node = (node as Record<string, unknown>)[segment];
      at += `/${escapeToken(segment)}`;
    }
    return resource;
  }

  /** The `$dynamicAnchor`s declared in a resource (not in resources nested in it). */
  dynamicAnchorsOf(resource: SchemaResource | undefined, file: string): ReadonlyMap<string, Location> | undefined {
    this.index(file);
    return this.dynamicAnchors.get(resource?.id ?? file);
  }

  /** The `$dynamicAnchor` of the schema at a location, if it has one. */
  dynamicAnchorAt(location: Location): string | undefined {
    const value = getAt(this.doc.sourceOf(location.file).data, fromPointer(location.pointer));
    if (value === null || typeof value !== 'object') return undefined;
    const anchor = (value as Record<string, unknown>).$dynamicAnchor;
    return typeof anchor === 'string' ? anchor : undefined;
  }

  /**
   * Resolves `ref`, found in `file` in the schema at `schemaPointer`. A fragment-only pointer inside a
   * resource with an `$id` is tried against that resource first (JSON Schema), then against the
   * document (what OpenAPI authors mean by `#/components/...`).
   * Throws ContractError CONTRACT_REF_UNRESOLVED when nothing is there.
   */
  resolve(ref: string, file: string, schemaPointer: string, resource: SchemaResource | undefined): Resolved {
    const refPointer = `${schemaPointer}/$ref`;
    this.index(file);
    const hash = ref.indexOf('#');
    const uriPart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    if (uriPart === '') {
      if (fragment === '') {
        if (resource) return this.at(resource, '', ref, file, refPointer);
        throw this.unresolved(file, refPointer, `$ref "${ref}" points at the whole document, not a schema`);
      }
      if (!fragment.startsWith('/')) return this.anchor(resource?.id ?? file, fragment, ref, file, refPointer);
      if (resource) {
        const inResource = this.tryAt(resource, fragment);
        if (inResource) return inResource;
      }
      return this.doc.resolveRef(ref, file, refPointer);
    }
    if (this.hasIdentifiers) {
      const id = absoluteUri(uriPart, resource?.id) ?? uriPart;
      const target = this.ids.get(id);
      if (target) {
        if (fragment === '' || fragment.startsWith('/')) return this.at(target, fragment, ref, file, refPointer);
        return this.anchor(id, fragment, ref, file, refPointer);
      }
    }
    const resolved = this.doc.resolveRef(ref, file, refPointer);
    this.index(resolved.file);
    return resolved;
  }

  private anchor(base: string, name: string, ref: string, file: string, refPointer: string): Resolved {
    const target = this.anchors.get(`${base}#${name}`);
    if (!target) throw this.unresolved(file, refPointer, `$ref "${ref}": no schema has $anchor "${name}"`);
    return { value: getAt(this.doc.sourceOf(target.file).data, fromPointer(target.pointer)), ...target };
  }

  private at(base: Location, fragment: string, ref: string, file: string, refPointer: string): Resolved {
    const found = this.tryAt(base, fragment);
    if (!found) throw this.unresolved(file, refPointer, `$ref "${ref}" points at nothing`);
    return found;
  }

  private tryAt(base: Location, fragment: string): Resolved | undefined {
    let segments: string[];
    try {
      segments = [...fromPointer(base.pointer), ...fromPointer(`#${fragment}`)];
    } catch {
      return undefined;
    }
    const value = getAt(this.doc.sourceOf(base.file).data, segments);
    if (value === undefined) return undefined;
    return { value, file: base.file, pointer: segments.length ? `/${segments.map(escapeToken).join('/')}` : '' };
  }

  private unresolved(file: string, pointer: string, message: string): ContractError {
    return new ContractError('CONTRACT_REF_UNRESOLVED', file, pointer, message, this.doc.lineOf(file, pointer));
  }

  /** Records every `$id` and `$anchor` of a file (3.1 only), once. */
  private index(file: string): void {
    if (!this.hasIdentifiers || this.indexedFiles.has(file)) return;
    this.indexedFiles.add(file);
    const seen = new Set<object>();
    /** `names`: the node maps names to schemas (`$defs`, `properties`…), so no key of it is a data keyword. */
    const walk = (node: unknown, pointer: string, base: string | undefined, names = false): void => {
      if (node === null || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      if (Array.isArray(node)) {
        node.forEach((item, index) => walk(item, `${pointer}/${index}`, base));
        return;
      }
      const object = node as Record<string, unknown>;
      if (names) {
        for (const key of Object.keys(object)) walk(object[key], `${pointer}/${escapeToken(key)}`, base);
        return;
      }
      let scope = base;
      if (typeof object.$id === 'string') {
        const id = absoluteUri(object.$id, base) ?? stripFragment(object.$id);
        const first = this.ids.get(id);
        if (first) {
          // Two resources with one identifier: a reference to it would silently pick the first.
          const where = first.file === file ? `#${first.pointer}` : `${first.file}#${first.pointer}`;
          throw new ContractError('CONTRACT_INVALID', file, `${pointer}/$id`, `$id "${id}" is already declared at ${where}; identifiers must be unique in a contract`, this.doc.lineOf(file, `${pointer}/$id`));
        }
        this.ids.set(id, { file, pointer });
        scope = id;
      }
      if (typeof object.$anchor === 'string') {
        const key = `${scope ?? file}#${object.$anchor}`;
        if (!this.anchors.has(key)) this.anchors.set(key, { file, pointer });
      }
      if (typeof object.$dynamicAnchor === 'string') {
        // A dynamic anchor is also a plain-name fragment of its resource.
        const key = `${scope ?? file}#${object.$dynamicAnchor}`;
        if (!this.anchors.has(key)) this.anchors.set(key, { file, pointer });
        const resourceKey = scope ?? file;
        let names = this.dynamicAnchors.get(resourceKey);
        if (!names) {
          names = new Map();
          this.dynamicAnchors.set(resourceKey, names);
        }
        if (!names.has(object.$dynamicAnchor)) names.set(object.$dynamicAnchor, { file, pointer });
      }
      for (const key of Object.keys(object)) {
        if (!DATA_KEYS.has(key)) walk(object[key], `${pointer}/${escapeToken(key)}`, scope, SCHEMA_MAP_KEYWORDS.has(key));
      }
    };
    walk(this.doc.sourceOf(file).data, '', undefined);
  }
}

/** `ref` made absolute against `base` (fragment removed), or undefined when neither gives an absolute URI. */
export function absoluteUri(ref: string, base: string | undefined): string | undefined {
  try {
    return stripFragment(base ? new URL(ref, base).href : new URL(ref).href);
  } catch {
    return undefined;
  }
}

function stripFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}

