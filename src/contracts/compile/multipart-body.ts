/** Reads a buffered multipart/form-data body (RFC 7578) into the object its schema describes, part by part, as its `encoding` says (request path). */
import { isUtf8 } from 'node:buffer';
import { escapeToken } from '../json-pointer.js';
import { addFormText, addFormValue, type FormRules } from './form-body.js';
import { findDuplicateKey } from './json-duplicate-keys.js';
import { isJsonMediaType, mediaTypeEssence } from './media-type.js';
import type { Violation } from './types.js';

/** One part: its field name, its Content-Type (essence, '' when absent) and its bytes. */
interface Part {
  name: string;
  contentType: string;
  body: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
/** Bound on parts per body: the body is already size-limited, this bounds the work per part too. */
const MAX_PARTS = 1000;

/** The `boundary` parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * The fields of a multipart/form-data body. A part whose Content-Type is JSON, or which has none
 * while its field is an object (OpenAPI's default for objects), is parsed as JSON (duplicate member
 * names refused); any other part is text, typed per the field's schema like a form field. A part
 * whose Content-Type is not among its field's declared `encoding.contentType` adds a violation.
 * Returns a string when the body cannot be read as multipart (the reason), else the fields.
 */
export function parseMultipartBody(body: Buffer, boundary: string, rules: FormRules, violations: Violation[]): Record<string, unknown> | string {
  const parts = splitParts(body, boundary);
  if (typeof parts === 'string') return parts;
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const bracket = part.name.indexOf('[');
    const field = rules.fields.get(part.name) ?? (bracket > 0 ? rules.fields.get(part.name.slice(0, bracket)) : undefined) ?? rules.additional;
    const pointer = `/body/${escapeToken(part.name)}`;
    const declared = field.contentTypes;
    if (declared.length > 0 && part.contentType !== '' && !declared.some((range) => mediaRangeMatches(range, part.contentType))) {
      violations.push({ pointer, message: `part content-type "${part.contentType}" is not accepted (allowed: ${declared.join(', ')})`, keyword: 'mediaType' });
      continue;
    }
    const effective = part.contentType !== '' ? part.contentType : (declared[0] ?? (field.shape.kind === 'object' ? 'application/json' : 'text/plain'));
    if (isJsonMediaType(effective)) {
      if (!isUtf8(part.body)) return `part "${part.name}" is not valid UTF-8`;
      let value: unknown;
      try {
        value = JSON.parse(part.body.toString('utf8'));
      } catch (error) {
        return `part "${part.name}" is not valid JSON: ${(error as Error).message}`;
      }
      const repeated = findDuplicateKey(part.body);
      if (repeated) return `part "${part.name}" repeats the member ${repeated.map((t) => `/${escapeToken(String(t))}`).join('')}`;
      addFormValue(out, rules, part.name, value, violations);
    } else {
      // Binary parts (files) are not text; they are checked as the latin1 string of their bytes.
      addFormText(out, rules, part.name, part.body.toString(isUtf8(part.body) ? 'utf8' : 'latin1'), violations);
    }
  }
  return out;
}

/** True when a media type essence matches a declared range (`image/png`, `image/*`, `*\/*`). */
function mediaRangeMatches(range: string, essence: string): boolean {
  if (range === '*/*' || range === essence) return true;
  return range.endsWith('/*') && essence.startsWith(range.slice(0, -1));
}

/** Splits the body at its boundary delimiters; a string is the reason it is not well-formed multipart. */
function splitParts(body: Buffer, boundary: string): Part[] | string {
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) return 'the body has no boundary delimiter';
  at += delimiter.length;
  const parts: Part[] = [];
  for (;;) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // `--`: the close delimiter
    // Transport padding after a delimiter is allowed (RFC 2046), then CRLF.
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body.indexOf(CRLF, at) !== at) return 'a boundary delimiter is not followed by CRLF';
    at += 2;
    if (parts.length >= MAX_PARTS) return `more than ${MAX_PARTS} parts`;
    const headerEnd = body.indexOf(HEADER_END, at - 2);
    if (headerEnd < 0) return 'a part has no end of headers';
    const headers = headerEnd < at ? '' : body.toString('latin1', at, headerEnd);
    const end = body.indexOf(next, headerEnd + 4);
    if (end < 0) return 'the body has no close delimiter';
    const part = readHeaders(headers);
    if (typeof part === 'string') return part;
    parts.push({ ...part, body: body.subarray(headerEnd + 4, end) });
    at = end + next.length;
  }
}

function readHeaders(text: string): { name: string; contentType: string } | string {
  let name: string | undefined;
  let contentType = '';
  for (const line of text === '' ? [] : text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return 'a part header has no ":"';
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-disposition') {
      if (!/^form-data\s*(;|$)/i.test(value)) return 'a part is not form-data';
      const match = /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/i.exec(value);
      if (match) name = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
    } else if (header === 'content-type') {
      contentType = mediaTypeEssence(value);
    } else if (header === 'content-transfer-encoding' && !/^(?:binary|8bit|7bit)$/i.test(value)) {
      return `part content-transfer-encoding "${value}" is not supported`;
    }
  }
  if (name === undefined) return 'a part has no content-disposition name';
  // The field name travels as UTF-8 bytes, which the header text above holds as latin1.
  return { name: Buffer.from(name, 'latin1').toString('utf8'), contentType };
}
