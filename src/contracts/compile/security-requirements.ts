/** Reads the security requirements that apply to an operation, with each scheme's type, for the auth policies. */
import { ContractError, isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';
import type { SecurityRequirements, SecuritySchemeRequirement } from './types.js';

/**
 * True for a scheme the gateway enforces with a JWT bearer token: oauth2, openIdConnect and `http`
 * with `scheme: bearer`.
 */
export function isJwtScheme(scheme: SecuritySchemeRequirement): boolean {
  return scheme.type === 'oauth2' || scheme.type === 'openIdConnect' || (scheme.type === 'http' && scheme.httpScheme === 'bearer');
}

/** True for a scheme the gateway enforces with an issued API key: `apiKey` (header, query or cookie) and `http basic`. */
export function isKeyScheme(scheme: SecuritySchemeRequirement): boolean {
  return (scheme.type === 'apiKey' && scheme.apiKey !== undefined) || (scheme.type === 'http' && scheme.httpScheme === 'basic');
}

/** True for OpenAPI 3.1's `mutualTLS` scheme: the client certificate (apis[].mtls) is the credential. */
export function isMutualTlsScheme(scheme: SecuritySchemeRequirement): boolean {
  return scheme.type === 'mutualTLS';
}

/** True for a scheme the gateway enforces: a JWT, an issued key, or a client certificate; other http schemes are not enforced. */
export function isEnforcedScheme(scheme: SecuritySchemeRequirement): boolean {
  return isJwtScheme(scheme) || isKeyScheme(scheme) || isMutualTlsScheme(scheme);
}

/** The names the messages use for the enforced schemes. */
export const ENFORCED_SCHEMES = 'oauth2, openIdConnect, http bearer, http basic, apiKey, mutualTLS';

/** How a message names a scheme's kind, e.g. `http basic` or `apiKey`. */
export function schemeKind(scheme: SecuritySchemeRequirement): string {
  return scheme.type === 'http' ? `http ${scheme.httpScheme || '(no scheme)'}` : scheme.type;
}

/**
 * Warns (once per scheme) about requirement alternatives the gateway cannot enforce while another
 * alternative of the same operation can: only the enforceable ones are accepted. An operation with
 * no enforceable alternative is refused where the routes are built.
 */
export function warnUnenforcedAlternatives(security: SecurityRequirements | undefined, warn: (file: string, pointer: string, message: string) => void, file: string): void {
  if (!security || !security.some((requirement) => requirement.length > 0 && requirement.every(isEnforcedScheme))) return;
  for (const requirement of security) {
    for (const scheme of requirement) {
      if (isEnforcedScheme(scheme)) continue;
      warn(file, `/components/securitySchemes/${escapeToken(scheme.scheme)}`, `security scheme "${scheme.scheme}" (${schemeKind(scheme)}) is not enforced by the gateway: requirements that need it are not accepted; operations that also allow a scheme it enforces (${ENFORCED_SCHEMES}) accept only those`);
    }
  }
}

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
      const httpScheme = type === 'http' && isObject(definition) && typeof definition.scheme === 'string' ? definition.scheme.toLowerCase() : '';
      const scopes = requirement[scheme];
      if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string')) throw invalid(schemeAt, 'scopes must be a list of strings');
      const requirementOf: SecuritySchemeRequirement = { scheme, type, httpScheme, scopes: scopes as string[], location: { file, pointer: schemeAt, line: undefined } };
      if (type === 'apiKey' && isObject(definition)) {
        const where = definition.in;
        const name = definition.name;
        // A key with no usable place is left unenforced (and refused at load when nothing else is).
        if ((where === 'header' || where === 'query' || where === 'cookie') && typeof name === 'string' && name !== '') requirementOf.apiKey = { in: where, name };
      }
      // Lines are looked up only where a load error may need one.
      if (!isJwtScheme(requirementOf)) requirementOf.location.line = doc.lineOf(file, schemeAt);
      return requirementOf;
    });
  });
}
