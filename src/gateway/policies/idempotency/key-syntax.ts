/**
 * The Idempotency-Key field value: an sf-string (RFC 8941 §3.3.3), as the IETF
 * idempotency-key draft defines it. Parsed by hand in one pass: the value is short and bounded.
 */

/**
 * The key inside a field value (escapes undone), or undefined when the value is not one
 * sf-string of 1 to `maxLength` characters. Spaces around the string are allowed, as in any
 * structured field; a second value (two header lines, joined with a comma) is not.
 */
export function parseIdempotencyKey(value: string, maxLength: number): string | undefined {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) === 0x20) end--;
  // The shortest value worth reading is `"x"`; the longest has every character escaped.
  if (end - start < 3 || end - start > maxLength * 2 + 2) return undefined;
  if (value.charCodeAt(start) !== 0x22 || value.charCodeAt(end - 1) !== 0x22) return undefined;
  let key = '';
  let plainFrom = start + 1;
  for (let i = start + 1; i < end - 1; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c) {
      const next = value.charCodeAt(i + 1);
      // Only \" and \\ are escapes; the closing quote cannot be escaped away.
      if ((next !== 0x22 && next !== 0x5c) || i + 1 >= end - 1) return undefined;
      key += value.slice(plainFrom, i);
      plainFrom = i + 1;
      i++;
      continue;
    }
    if (c === 0x22 || c < 0x20 || c > 0x7e) return undefined;
  }
  key += value.slice(plainFrom, end - 1);
  return key.length >= 1 && key.length <= maxLength ? key : undefined;
}
