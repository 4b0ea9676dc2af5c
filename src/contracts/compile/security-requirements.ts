/** Reads the security requirements that apply to an operation, with each scheme's type, for the auth policies. */
import { ContractError, isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';
import type { SecurityRequirements, SecuritySchemeRequirement } from './types.js';

/**
 * The operation's `security` when it has one (even `[]`), else the document's, else undefined.
 * Throws ContractError CONTRACT_INVALID for a requirement naming a scheme that
 * `components.securitySchemes` does not define: the gateway could not enforce it.
 */
export function securityOf(doc: OpenApiDocument, operation: Resolved<JsonObject>): SecurityRequirements | undefined {
  let list: unknown;
  let file: string;
  let pointer: string;
  if (operation.value.security !== undefined) {
    list = operation.value.security;
    file = operation.file;
    pointer = `${operation.pointer}/security`;
  } else if (doc.data.security !== undefined) {
    list = doc.data.security;
    file = doc.file;
    pointer = '/security';
  } else {
    return undefined;
  }
  const invalid = (at: string, message: string): ContractError =>
    new ContractError('CONTRACT_INVALID', file, at, message, doc.lineOf(file, at));
  if (!Array.isArray(list)) throw invalid(pointer, '"security" must be a list of requirement objects');
  const schemes = isObject(doc.data.components) && isObject(doc.data.components.securitySchemes) ? doc.data.components.securitySchemes : {};
  return list.map((requirement, index) => {
    const at = `${pointer}/${index}`;
    if (!isObject(requirement)) throw invalid(at, 'a security requirement must be a mapping');
    return Object.keys(requirement).map((scheme): SecuritySchemeRequirement => {
      const schemeAt = `${at}/${escapeToken(scheme)}`;
      if (!Object.prototype.hasOwnProperty.call(schemes, scheme)) {
        throw invalid(schemeAt, `security scheme "${scheme}" is not defined in components.securitySchemes`);
      }
      const definition = doc.deref<unknown>(schemes[scheme], doc.file, `/components/securitySchemes/${escapeToken(scheme)}`).value;
      const type = isObject(definition) && typeof definition.type === 'string' ? definition.type : 'unknown';
      const scopes = requirement[scheme];
      if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string')) throw invalid(schemeAt, 'scopes must be a list of strings');
      return { scheme, type, scopes: scopes as string[] };
    });
  });
}
