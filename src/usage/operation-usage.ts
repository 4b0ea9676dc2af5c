/**
 * What the usage recorder needs to know about one served operation, compiled once per routing table:
 * its labels, and how to tell a request's parameters apart (declared query keys, header and cookie names).
 */
import type { CompiledOperation } from '../contracts/compile/index.js';

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
  };
}
