/** Picks the status, media type, headers and body the mock answers for one request. */
import type { MockPreference } from './prefer-header.js';
import { PreferenceError } from './prefer-header.js';
import type { MockMediaType, MockOperation, MockResponse } from './response-plan.js';

/** The answer to send. `body` is absent when the response declares no content. */
export interface MockAnswer {
  status: number;
  headers: Array<{ name: string; value: string }>;
  contentType?: string;
  body?: unknown;
  /** For the request log: `example=NAME`, `generated` or `empty`. */
  source: string;
}

/** Raised when a value had to be generated from the schema but could not be; a contract problem, answered 500. */
export class MockGenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockGenerationError';
  }
}

function statusOf(key: string): number {
  if (/^[1-5][0-9]{2}$/.test(key)) return Number(key);
  if (/^[1-5]XX$/.test(key)) return Number(key[0]) * 100;
  return 200;
}

/**
 * Declared responses in the order the mock prefers them when the caller names no status: explicit
 * 2xx statuses lowest first, then a `2XX` range, then `default`, then everything else as declared.
 */
function preferenceOrder(responses: MockResponse[]): MockResponse[] {
  const rank = (r: MockResponse): number => {
    if (/^2[0-9]{2}$/.test(r.key)) return Number(r.key) - 1000;
    if (r.key === '2XX') return 0;
    if (r.key === 'default') return 1;
    return 2;
  };
  return responses.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(({ r }) => r);
}

function byCode(operation: MockOperation, code: number): MockResponse {
  const exact = operation.responses.find((r) => r.key === String(code));
  const range = operation.responses.find((r) => r.key === `${String(code)[0]}XX`);
  const fallback = operation.responses.find((r) => r.key === 'default');
  const found = exact ?? range ?? fallback;
  if (!found) throw new PreferenceError(`code=${code} is not declared for this operation (declared: ${operation.responses.map((r) => r.key).join(', ')})`);
  return found;
}

function mediaRange(value: string): { type: string; q: number } {
  const [range, ...params] = value.split(';');
  let q = 1;
  for (const param of params) {
    const [name, raw] = param.split('=').map((s) => s.trim());
    if (name.toLowerCase() === 'q' && raw !== undefined) q = Number(raw);
  }
  return { type: range.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0 };
}

function quality(contentType: string, ranges: Array<{ type: string; q: number }>): number {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const major = type.split('/')[0];
  // The most specific matching range decides (RFC 9110 §12.5.1).
  const exact = ranges.find((r) => r.type === type);
  const partial = ranges.find((r) => r.type === `${major}/*`);
  const any = ranges.find((r) => r.type === '*/*');
  return (exact ?? partial ?? any)?.q ?? 0;
}

/**
 * The declared media type the caller accepts best (declaration order breaks ties). A mock stays
 * lenient: when nothing declared is acceptable it answers with the first declared type rather than 406.
 */
function negotiate(content: MockMediaType[], accept: string | undefined): MockMediaType {
  if (!accept || content.length === 1) return content[0];
  const ranges = accept.split(',').filter((s) => s.trim() !== '').map(mediaRange);
  let best = content[0];
  let bestQ = 0;
  for (const media of content) {
    const q = quality(media.contentType, ranges);
    if (q > bestQ) {
      best = media;
      bestQ = q;
    }
  }
  return best;
}

function concreteType(contentType: string, body: unknown): string {
  if (!contentType.includes('*')) return contentType;
  return typeof body === 'string' ? 'text/plain' : 'application/json';
}

/** Finds the response and media type that hold an example of this name, preferred responses first. */
function findExample(responses: MockResponse[], name: string): { response: MockResponse; media: MockMediaType } | undefined {
  for (const response of responses) {
    const media = response.content.find((m) => m.examples.some((e) => e.name === name));
    if (media) return { response, media };
  }
  return undefined;
}

function exampleNames(responses: MockResponse[]): string {
  const names = [...new Set(responses.flatMap((r) => r.content.flatMap((m) => m.examples.map((e) => e.name))))];
  return names.length > 0 ? names.join(', ') : 'none';
}

/**
 * Chooses the answer for an operation. Throws PreferenceError when the Prefer header asks for
 * something the contract does not declare, MockGenerationError when a value must be generated but
 * the schema could not produce one.
 */
export function chooseResponse(operation: MockOperation, preference: MockPreference, accept: string | undefined): MockAnswer {
  let response: MockResponse;
  let media: MockMediaType | undefined;
  if (preference.code !== undefined) {
    response = byCode(operation, preference.code);
  } else if (preference.example !== undefined && !preference.dynamic) {
    const found = findExample(preferenceOrder(operation.responses), preference.example);
    if (!found) throw new PreferenceError(`no example is named "${preference.example}" (examples: ${exampleNames(operation.responses)})`);
    ({ response, media } = found);
  } else {
    const first = preferenceOrder(operation.responses)[0];
    if (!first) throw new MockGenerationError('the operation declares no responses');
    response = first;
  }
  const status = preference.code ?? statusOf(response.key);
  if (response.content.length === 0) {
    if (preference.example !== undefined) throw new PreferenceError(`the ${response.key} response has no content, so no example "${preference.example}"`);
    return { status, headers: response.headers, source: 'empty' };
  }

  if (preference.example !== undefined && !preference.dynamic) {
    media ??= response.content.find((m) => m.examples.some((e) => e.name === preference.example));
    const example = media?.examples.find((e) => e.name === preference.example);
    if (!media || !example) throw new PreferenceError(`the ${response.key} response has no example named "${preference.example}" (examples: ${exampleNames([response])})`);
    return { status, headers: response.headers, contentType: concreteType(media.contentType, example.value), body: example.value, source: `example=${example.name}` };
  }

  media = negotiate(response.content, accept);
  const example = preference.dynamic ? undefined : media.examples[0];
  if (example) return { status, headers: response.headers, contentType: concreteType(media.contentType, example.value), body: example.value, source: `example=${example.name}` };
  if (!media.hasSchema) {
    if (preference.dynamic) throw new PreferenceError(`the ${response.key} ${media.contentType} response has no schema to generate from`);
    return { status, headers: response.headers, contentType: media.contentType.includes('*') ? undefined : media.contentType, source: 'empty' };
  }
  if (media.generated === undefined) throw new MockGenerationError(`cannot generate a ${response.key} ${media.contentType} body from the schema; add an example`);
  return { status, headers: response.headers, contentType: concreteType(media.contentType, media.generated), body: media.generated, source: 'generated' };
}
