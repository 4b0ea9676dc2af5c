/** RFC 6901 JSON pointers: encode, decode and look up. */

/** Escapes one reference token (`~` -> `~0`, `/` -> `~1`). */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a pointer from path segments: `['paths', '/a']` -> `/paths/~1a`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.length === 0 ? '' : '/' + segments.map(escapeToken).join('/');
}

/** Splits a pointer into unescaped segments; accepts a leading `#` (URI fragment form). */
export function fromPointer(pointer: string): string[] {
  let p = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (p === '') return [];
  if (!p.startsWith('/')) throw new TypeError(`not a JSON pointer: ${pointer}`);
  p = p.slice(1);
  return p.split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Returns the value at a pointer, or undefined when any segment is missing. */
export function getAt(root: unknown, segments: ReadonlyArray<string>): unknown {
  let node: unknown = root;
  for (const seg of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
