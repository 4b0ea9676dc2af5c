/**
 * What the usage recorder needs to know about one served operation, compiled once per routing table:
 * its labels, and how to tell a request's parameters apart (declared query keys, header and cookie names).
 */
import type { CompiledOperation } from '../contracts/compile/index.js';
import { enumLocation } from './usage-record.js';

/** The usage plan of one operation in one served API version. */
export interface OperationUsage {
  readonly api: string;
  readonly version: string;
  readonly major: number;
  /** The operationId, else `<METHOD> <path template>`. */
  readonly operation: string;
  /** Query key as sent -> its location (`query:<declared name>`); exploded object members map to their parameter. */
  readonly queryKeys: ReadonlyMap<string, string>;
  /** `deepObject` parameters: a key `name[...]` -> `query:<name>`. */
  readonly deepQuery: ReadonlyMap<string, string>;
  /** Declared header parameters: [lower-case name, location]. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Declared cookie parameters: name -> location. */
  readonly cookies: ReadonlyMap<string, string>;
  /** True when the operation takes a request body. */
  readonly hasBody: boolean;
  /**
   * Locations whose schema has an `enum` -> how a value sent there is recorded; undefined when the
   * operation has none (then no value is ever looked at).
   */
  readonly enums: ReadonlyMap<string, EnumCapture> | undefined;
}

/** How the values sent at one enum-restricted location are recorded: only the enum's own values, so the record is bounded by the enum. */
export interface EnumCapture {
  /** A parameter's text as sent -> the location recorded for its value. */
  readonly byText: ReadonlyMap<string, string>;
  /** A body's JSON value (string, number, boolean or null) -> the location recorded for it. */
  readonly byValue: ReadonlyMap<unknown, string>;
}

/** Plans the capture of each enum site. */
function planEnums(op: CompiledOperation): ReadonlyMap<string, EnumCapture> | undefined {
  if (op.enumSites.length === 0) return undefined;
  const enums = new Map<string, EnumCapture>();
  for (const site of op.enumSites) {
    const byText = new Map<string, string>();
    const byValue = new Map<unknown, string>();
    for (const value of site.values) {
      const recorded = enumLocation(site.location, value);
      byValue.set(value, recorded);
      if (!byText.has(String(value))) byText.set(String(value), recorded);
    }
    enums.set(site.location, { byText, byValue });
  }
  return enums;
}

/** Plans one operation (at load). */
export function planOperationUsage(op: CompiledOperation, api: string, version: string, major: number): OperationUsage {
  const queryKeys = new Map<string, string>();
  const deepQuery = new Map<string, string>();
  const headers: Array<readonly [string, string]> = [];
  const cookies = new Map<string, string>();
  for (const p of op.parameters) {
    const location = `${p.in}:${p.name}`;
    if (p.in === 'query') {
      queryKeys.set(p.name, location);
      if (p.deep) deepQuery.set(p.name, location);
      for (const member of p.members ?? []) if (!queryKeys.has(member)) queryKeys.set(member, location);
    } else if (p.in === 'header') headers.push([p.name, location]);
    else if (p.in === 'cookie') cookies.set(p.name, location);
  }
  return {
    api,
    version,
    major,
    operation: op.operationId ?? `${op.method} ${op.pathTemplate}`,
    queryKeys,
    deepQuery,
    headers,
    cookies,
    hasBody: op.requestMediaTypes.length > 0,
    enums: planEnums(op),
  };
}
