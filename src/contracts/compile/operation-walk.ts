/** Lists the operations of a contract with their merged, dereferenced parameters. */
import { ContractError, isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';

/** HTTP methods an OpenAPI Path Item can hold, in the specification's order. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation where the contract declares it. */
export interface OperationSite {
  /** Upper-case HTTP method. */
  method: string;
  pathTemplate: string;
  operation: Resolved<JsonObject>;
  /** Path-level parameters merged with the operation's (the operation's win), each dereferenced. */
  parameters: Array<Resolved<JsonObject>>;
}

/**
 * Every operation under `paths`, in document order. Path Items and parameters may be `$ref`s (also
 * into other files). Throws ContractError for an operation or parameter that is not a mapping.
 */
export function listOperations(doc: OpenApiDocument): OperationSite[] {
  const sites: OperationSite[] = [];
  const paths = doc.data.paths;
  if (!isObject(paths)) return sites;
  for (const pathTemplate of Object.keys(paths)) {
    const item = doc.deref<unknown>(paths[pathTemplate], doc.file, `/paths/${escapeToken(pathTemplate)}`);
    if (!isObject(item.value)) continue;
    const pathItem = item as Resolved<JsonObject>;
    const shared = parametersOf(doc, pathItem);
    for (const method of METHODS) {
      const value = pathItem.value[method];
      if (value === undefined) continue;
      const pointer = `${pathItem.pointer}/${method}`;
      if (!isObject(value)) {
        throw new ContractError('CONTRACT_INVALID', pathItem.file, pointer, `${method.toUpperCase()} ${pathTemplate}: an operation must be a mapping`, doc.lineOf(pathItem.file, pointer));
      }
      const operation: Resolved<JsonObject> = { value, file: pathItem.file, pointer };
      const own = parametersOf(doc, operation);
      const merged = new Map<string, Resolved<JsonObject>>();
      for (const parameter of [...shared, ...own]) merged.set(identity(parameter.value), parameter);
      sites.push({ method: method.toUpperCase(), pathTemplate, operation, parameters: [...merged.values()] });
    }
  }
  return sites;
}

/** A parameter is identified by its name and location; header names ignore case. */
function identity(parameter: JsonObject): string {
  const name = typeof parameter.name === 'string' ? parameter.name : '';
  return parameter.in === 'header' ? `header:${name.toLowerCase()}` : `${String(parameter.in)}:${name}`;
}

function parametersOf(doc: OpenApiDocument, owner: Resolved<JsonObject>): Array<Resolved<JsonObject>> {
  const list = owner.value.parameters;
  if (list === undefined) return [];
  const at = `${owner.pointer}/parameters`;
  if (!Array.isArray(list)) {
    throw new ContractError('CONTRACT_INVALID', owner.file, at, '"parameters" must be a list', doc.lineOf(owner.file, at));
  }
  return list.map((entry, index) => {
    const resolved = doc.deref<unknown>(entry, owner.file, `${at}/${index}`);
    if (!isObject(resolved.value)) {
      throw new ContractError('CONTRACT_INVALID', resolved.file, resolved.pointer, 'a parameter must be a mapping', doc.lineOf(resolved.file, resolved.pointer));
    }
    return resolved as Resolved<JsonObject>;
  });
}
