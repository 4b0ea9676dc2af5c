/** Turns a contract spread over several files into one document whose `$ref`s all point inside it. */
import { ContractError, isObject, type JsonObject, type OpenApiDocument } from '../contracts/openapi-document.js';
import { escapeToken } from '../contracts/json-pointer.js';

/**
 * Returns a copy of the root document in which every reference into another file is replaced by
 * the value it points at; references inside the root file stay references. express-openapi-validator
 * and openapi-sampler both resolve only `#/…` references against the object they are given, which
 * is why the mock needs this. A reference cycle that leaves the root file cannot be inlined and is
 * reported as CONTRACT_INVALID with its location.
 */
export function bundleDocument(doc: OpenApiDocument): JsonObject {
  const bundled = inline(doc, doc.data, doc.file, '', []);
  return bundled as JsonObject;
}

function inline(doc: OpenApiDocument, value: unknown, file: string, pointer: string, stack: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => inline(doc, item, file, `${pointer}/${i}`, stack));
  if (!isObject(value)) return value;
  const ref = value.$ref;
  if (typeof ref === 'string' && !(file === doc.file && ref.startsWith('#'))) {
    const target = doc.resolveRef(ref, file, `${pointer}/$ref`);
    // A reference from another file back into the root stays a reference, now written locally.
    if (target.file === doc.file) return { $ref: `#${target.pointer}` };
    const key = `${target.file}#${target.pointer}`;
    if (stack.includes(key)) {
      throw new ContractError('CONTRACT_INVALID', file, pointer, `$ref "${ref}" is circular through another file; move the recursive schema into ${doc.file}`, doc.lineOf(file, pointer));
    }
    return inline(doc, target.value, target.file, target.pointer, [...stack, key]);
  }
  const copy: JsonObject = {};
  for (const [key, child] of Object.entries(value)) copy[key] = inline(doc, child, file, `${pointer}/${escapeToken(key)}`, stack);
  return copy;
}
