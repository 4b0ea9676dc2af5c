/**
 * The JSON pointers of the fields a contract marks sensitive in an operation's JSON request body
 * and in each response's, found once at load so that a payload excerpt is masked by lookup:
 * `x-accord-sensitive: true`, `format: password`, e-mail formats (`email`, `idn-email`) and phone
 * formats (`phone`, `tel`, `phone-number`, `e164`). Array items and additional properties are `*`;
 * the recursive member of a schema that contains itself is masked whole.
 */
import { escapeToken } from '../json-pointer.js';
import { isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { isJsonMediaType, mediaTypeEssence } from './media-type.js';
import type { OperationSite } from './operation-walk.js';

/** Formats whose values are personal data or secrets. */
export const SENSITIVE_FORMATS: ReadonlySet<string> = new Set(['password', 'email', 'idn-email', 'phone', 'tel', 'phone-number', 'e164']);

/** Sensitive pointers of one operation: `''` alone means the whole body (a schema too large to walk). */
export interface SensitiveFields {
  readonly request: readonly string[];
  /** By status key as the contract writes it (`200`, `4XX`, `default`). */
  readonly responses: ReadonlyMap<string, readonly string[]>;
}

/** Schema nodes visited per body at most; beyond, the whole body counts as sensitive (masking errs on the safe side). */
const MAX_NODES = 5000;
const MAX_DEPTH = 32;

class Walk {
  readonly found = new Set<string>();
  private nodes = 0;
  private readonly onPath = new Set<string>();
  overflow = false;

  constructor(private readonly doc: OpenApiDocument) {}

  schema(node: Resolved, path: readonly string[]): void {
    if (this.overflow) return;
    if (++this.nodes > MAX_NODES || path.length > MAX_DEPTH) {
      this.overflow = true;
      return;
    }
    if (!isObject(node.value)) return;
    if (isSensitive(node.value)) {
      this.found.add(path.map(escapeToken).map((t) => `/${t}`).join(''));
      return;
    }
    // A schema that contains itself (a manager who is a person) repeats its sensitive fields at
    // every depth: its recursive member is masked whole rather than walked forever.
    const key = `${node.file}#${node.pointer}`;
    if (this.onPath.has(key)) {
      this.found.add(path.map(escapeToken).map((t) => `/${t}`).join(''));
      return;
    }
    this.onPath.add(key);
    const value = node.value;
    if (typeof value.$ref === 'string') {
      try {
        this.schema(this.doc.deref(value, node.file, node.pointer), path);
      } catch {
        // An unresolvable reference is the compiler's to report; it has nothing to mask.
      }
    }
    const at = (key: string, child: unknown): Resolved => ({ value: child, file: node.file, pointer: `${node.pointer}/${key}` });
    if (isObject(value.properties)) {
      for (const name of Object.keys(value.properties)) this.schema(at(`properties/${escapeToken(name)}`, value.properties[name]), [...path, name]);
    }
    if (isObject(value.additionalProperties)) this.schema(at('additionalProperties', value.additionalProperties), [...path, '*']);
    if (isObject(value.patternProperties)) {
      for (const pattern of Object.keys(value.patternProperties)) this.schema(at(`patternProperties/${escapeToken(pattern)}`, value.patternProperties[pattern]), [...path, '*']);
    }
    if (isObject(value.items)) this.schema(at('items', value.items), [...path, '*']);
    if (Array.isArray(value.items)) value.items.forEach((item, i) => this.schema(at(`items/${i}`, item), [...path, String(i)]));
    if (Array.isArray(value.prefixItems)) value.prefixItems.forEach((item, i) => this.schema(at(`prefixItems/${i}`, item), [...path, String(i)]));
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = value[keyword];
      if (Array.isArray(list)) list.forEach((sub, i) => this.schema(at(`${keyword}/${i}`, sub), path));
    }
    for (const keyword of ['then', 'else', 'not'] as const) if (isObject(value[keyword])) this.schema(at(keyword, value[keyword]), path);
    this.onPath.delete(key);
  }

  result(): readonly string[] {
    return this.overflow ? [''] : [...this.found].sort();
  }
}

function isSensitive(schema: JsonObject): boolean {
  return schema['x-accord-sensitive'] === true || (typeof schema.format === 'string' && SENSITIVE_FORMATS.has(schema.format.toLowerCase()));
}

/** The sensitive pointers of the JSON media types of a `content` map. */
function ofContent(doc: OpenApiDocument, owner: Resolved): readonly string[] {
  if (!isObject(owner.value) || !isObject(owner.value.content)) return [];
  const walk = new Walk(doc);
  const content = owner.value.content;
  for (const declared of Object.keys(content)) {
    if (!isJsonMediaType(mediaTypeEssence(declared))) continue;
    const media = content[declared];
    if (!isObject(media) || media.schema === undefined) continue;
    walk.schema({ value: media.schema, file: owner.file, pointer: `${owner.pointer}/content/${escapeToken(declared)}/schema` }, []);
  }
  return walk.result();
}

/** The sensitive fields of one operation (the contract compiled already, so its references resolve). */
export function sensitiveFieldsOf(doc: OpenApiDocument, site: OperationSite): SensitiveFields {
  const operation = site.operation.value;
  let request: readonly string[] = [];
  if (operation.requestBody !== undefined) request = ofContent(doc, doc.deref(operation.requestBody, site.operation.file, `${site.operation.pointer}/requestBody`));
  const responses = new Map<string, readonly string[]>();
  if (isObject(operation.responses)) {
    for (const statusKey of Object.keys(operation.responses)) {
      if (statusKey.startsWith('x-')) continue;
      const fields = ofContent(doc, doc.deref(operation.responses[statusKey], site.operation.file, `${site.operation.pointer}/responses/${escapeToken(statusKey)}`));
      responses.set(statusKey.toUpperCase() === 'DEFAULT' ? 'default' : statusKey.toUpperCase(), fields);
    }
  }
  return { request, responses };
}
