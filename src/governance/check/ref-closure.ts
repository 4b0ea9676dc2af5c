/** The set of files a contract is made of: its root and every file its `$ref`s reach, with their texts. */
import { isObject, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { escapeToken } from '../../contracts/json-pointer.js';

/**
 * Loads every file reachable through `$ref`s from the document's root and returns the text of
 * each, keyed by `keyOf(file)` (a repository-relative path), so two versions of one contract can
 * be compared file by file. Throws ContractError for a `$ref` that does not resolve.
 */
export function refClosure(doc: OpenApiDocument, keyOf: (file: string) => string): Map<string, string> {
  const texts = new Map<string, string>();
  const pending = [doc.file];
  const seen = new Set(pending);
  while (pending.length > 0) {
    const file = pending.pop()!;
    const source = doc.sourceOf(file);
    texts.set(keyOf(file), source.text);
    // Iterative walk: a generated contract can nest deeper than the call stack allows.
    const stack: Array<{ value: unknown; pointer: string }> = [{ value: source.data, pointer: '' }];
    while (stack.length > 0) {
      const { value, pointer } = stack.pop()!;
      if (Array.isArray(value)) {
        value.forEach((item, i) => stack.push({ value: item, pointer: `${pointer}/${i}` }));
        continue;
      }
      if (!isObject(value)) continue;
      const ref = value.$ref;
      if (typeof ref === 'string' && !ref.startsWith('#')) {
        const target = doc.resolveRef(ref, file, `${pointer}/$ref`).file;
        if (!seen.has(target)) {
          seen.add(target);
          pending.push(target);
        }
      }
      for (const [key, child] of Object.entries(value)) {
        if (child !== null && typeof child === 'object') stack.push({ value: child, pointer: `${pointer}/${escapeToken(key)}` });
      }
    }
  }
  return texts;
}

/** True when two closures hold the same files with the same texts. */
export function sameClosure(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, text] of a) if (b.get(key) !== text) return false;
  return true;
}
