/**
 * Finds the locations one request uses: declared query, header and cookie parameters (undeclared
 * query keys are only counted, never named), and the JSON pointers of its body's members with array
 * indices as `*`; at the locations whose schema has an `enum`, which of the enum's values was sent
 * (a value outside the enum is not recorded). Bounded per request: depth, values visited and
 * elements per array.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { escapeToken } from '../contracts/json-pointer.js';
import type { EnumCapture, OperationUsage } from './operation-usage.js';
import type { FingerprintConfig } from './schema.js';

/** The parts of a request a fingerprint reads. */
export interface RequestSample {
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The body as validation parsed it (JSON value, or form fields), when there was one. */
  body: unknown;
  hasBody: boolean;
}

/** Receives each location a request uses (a location may come more than once). */
export type LocationSink = (location: string) => void;

/** Examines one request; returns true when its query has a key the operation does not declare. */
export function examineRequest(plan: OperationUsage, sample: RequestSample, bounds: Pick<FingerprintConfig, 'maxDepth' | 'maxNodes' | 'arrayElements'>, sink: LocationSink): boolean {
  const undeclared = sample.rawQuery === '' ? false : examineQuery(plan, sample.rawQuery, sink);
  const enums = plan.enums;
  for (const [name, location] of plan.headers) {
    const value = sample.headers[name];
    if (value === undefined) continue;
    sink(location);
    if (enums !== undefined && typeof value === 'string') sinkText(enums.get(location), value, sink);
  }
  if (plan.cookies.size > 0 && typeof sample.headers.cookie === 'string') examineCookies(plan, sample.headers.cookie, sink);
  if (sample.hasBody) {
    sink('body:');
    if (sample.body !== null && typeof sample.body === 'object') {
      walk(sample.body, 'body:', 1, bounds, { nodes: 0 }, enums, sink);
    }
  }
  return undeclared;
}

/** Records the enum value a parameter's text names: the whole text, else each comma-separated part (an array sent as `a,b`). */
function sinkText(capture: EnumCapture | undefined, text: string, sink: LocationSink): void {
  if (capture === undefined) return;
  const whole = capture.byText.get(text);
  if (whole !== undefined) return sink(whole);
  if (text.indexOf(',') < 0) return;
  let start = 0;
  // Bounded by the text the parser accepted; each part is one map lookup.
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    const part = capture.byText.get(text.slice(start, end));
    if (part !== undefined) sink(part);
    start = end + 1;
  }
}

function queryKey(raw: string): string {
  if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function examineQuery(plan: OperationUsage, rawQuery: string, sink: LocationSink): boolean {
  let undeclared = false;
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf('&', start);
    if (end < 0) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf('=', start);
      const hasValue = eq >= 0 && eq < end;
      const key = queryKey(rawQuery.slice(start, hasValue ? eq : end));
      const location = plan.queryKeys.get(key);
      if (location !== undefined) {
        sink(location);
        if (plan.enums !== undefined && hasValue) sinkText(plan.enums.get(location), queryKey(rawQuery.slice(eq + 1, end)), sink);
      } else {
        const bracket = key.indexOf('[');
        const deep = bracket > 0 ? plan.deepQuery.get(key.slice(0, bracket)) : undefined;
        if (deep !== undefined) sink(deep);
        else undeclared = true;
      }
    }
    start = end + 1;
  }
  return undeclared;
}

function examineCookies(plan: OperationUsage, header: string, sink: LocationSink): void {
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    const location = plan.cookies.get((eq < 0 ? pair : pair.slice(0, eq)).trim());
    if (location === undefined) continue;
    sink(location);
    if (plan.enums !== undefined && eq >= 0) sinkText(plan.enums.get(location), pair.slice(eq + 1).trim(), sink);
  }
}

/**
 * Records the pointer of every object member under `value`; arrays contribute `/*`. `enums`: the
 * operation's enum locations (undefined when it has none: then no value is looked at).
 */
function walk(
  value: object,
  pointer: string,
  depth: number,
  bounds: Pick<FingerprintConfig, 'maxDepth' | 'maxNodes' | 'arrayElements'>,
  budget: { nodes: number },
  enums: ReadonlyMap<string, EnumCapture> | undefined,
  sink: LocationSink,
): void {
  if (Array.isArray(value)) {
    const elements = value.length < bounds.arrayElements ? value.length : bounds.arrayElements;
    const items = pointer + '/*';
    const capture = enums?.get(items);
    for (let i = 0; i < elements; i++) {
      const element: unknown = value[i];
      if (++budget.nodes > bounds.maxNodes) return;
      if (element !== null && typeof element === 'object') {
        if (depth < bounds.maxDepth) walk(element, items, depth + 1, bounds, budget, enums, sink);
      } else if (capture !== undefined) {
        const recorded = capture.byValue.get(element);
        if (recorded !== undefined) sink(recorded);
      }
    }
    return;
  }
  for (const key of Object.keys(value)) {
    if (++budget.nodes > bounds.maxNodes) return;
    const member = pointer + '/' + (key.indexOf('~') < 0 && key.indexOf('/') < 0 ? key : escapeToken(key));
    sink(member);
    const child: unknown = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object') {
      if (depth < bounds.maxDepth) walk(child, member, depth + 1, bounds, budget, enums, sink);
    } else if (enums !== undefined) {
      const recorded = enums.get(member)?.byValue.get(child);
      if (recorded !== undefined) sink(recorded);
    }
  }
}
