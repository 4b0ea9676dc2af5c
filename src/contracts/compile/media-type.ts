/** Matches a request's or response's Content-Type against the media types (and ranges) a contract declares. */

/** The `type/subtype` of a Content-Type value, lower-case, without parameters; '' when absent. */
export function mediaTypeEssence(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  const essence = semicolon < 0 ? contentType : contentType.slice(0, semicolon);
  return essence.trim().toLowerCase();
}

/** True for `application/json` and every `+json` structured syntax suffix (`application/problem+json`). */
export function isJsonMediaType(essence: string): boolean {
  return essence === 'application/json' || essence.endsWith('+json');
}

/** True for `application/x-www-form-urlencoded`. */
export function isFormMediaType(essence: string): boolean {
  return essence === 'application/x-www-form-urlencoded';
}

/** True for `multipart/form-data`. */
export function isMultipartMediaType(essence: string): boolean {
  return essence === 'multipart/form-data';
}

/**
 * True when a Content-Type names a `charset` other than UTF-8 (`iso-8859-1`, `utf-16`…). JSON is
 * UTF-8 (RFC 8259) and form bodies are read as UTF-8: a body in another charset would reach the
 * upstream as other text than the gateway validated.
 */
export function hasForeignCharset(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  if (semicolon < 0) return false;
  const match = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType.slice(semicolon));
  if (!match) return false;
  const charset = match[1]!.toLowerCase();
  return charset !== 'utf-8' && charset !== 'utf8';
}

/**
 * The media types of one `content` map, looked up most specific first: an exact media type, then a
 * structured-suffix range (`application/*+json`), then a type range (`application/*`), then `*\/*`.
 */
export class MediaTypeTable<T> {
  /** The declared keys, as written in the contract, for messages. */
  readonly declared: readonly string[];
  private readonly exact = new Map<string, T>();
  private readonly suffixRanges: Array<{ type: string; suffix: string; value: T }> = [];
  private readonly typeRanges = new Map<string, T>();
  private readonly any: T | undefined;

  constructor(entries: ReadonlyArray<readonly [declared: string, value: T]>) {
    this.declared = entries.map(([declared]) => declared);
    let any: T | undefined;
    for (const [declared, value] of entries) {
      const essence = mediaTypeEssence(declared);
      const slash = essence.indexOf('/');
      const type = slash < 0 ? essence : essence.slice(0, slash);
      const subtype = slash < 0 ? '' : essence.slice(slash + 1);
      if (essence === '*/*' || essence === '*') {
        any ??= value;
      } else if (subtype === '*') {
        if (!this.typeRanges.has(type)) this.typeRanges.set(type, value);
      } else if (subtype.startsWith('*+')) {
        this.suffixRanges.push({ type, suffix: subtype.slice(1), value });
      } else if (!this.exact.has(essence)) {
        this.exact.set(essence, value);
      }
    }
    this.any = any;
  }

  /**
   * The entry for a media type essence (see {@link mediaTypeEssence}), or undefined when none is
   * declared. A missing Content-Type ('') matches only `*\/*`.
   */
  match(essence: string): T | undefined {
    const exact = this.exact.get(essence);
    if (exact !== undefined) return exact;
    const slash = essence.indexOf('/');
    if (slash < 0) return this.any;
    const type = essence.slice(0, slash);
    for (const range of this.suffixRanges) {
      if (range.type === type && essence.endsWith(range.suffix)) return range.value;
    }
    return this.typeRanges.get(type) ?? this.any;
  }
}
