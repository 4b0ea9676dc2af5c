/** Security schemes under components: added, removed, or changed in type, OAuth URLs or scopes. */
import { isObject, type JsonObject } from '../../../contracts/openapi-document.js';
import { escapeToken } from '../../../contracts/json-pointer.js';
import { define, type DiffCheck } from '../check.js';

const FLOWS = ['implicit', 'password', 'clientCredentials', 'authorizationCode'] as const;

function field(node: unknown, key: string): unknown {
  return isObject(node) ? node[key] : undefined;
}

/** Reports changes of `components.securitySchemes`. */
export const componentsSecurity: DiffCheck = {
  definitions: [
    define('api-security-component-added', 'info', 'none', 'security', 'A security scheme was added to the components.'),
    define('api-security-component-removed', 'info', 'none', 'security', 'A security scheme was removed from the components.'),
    define('api-security-component-type-changed', 'error', 'none', 'security', 'The type of a security scheme changed: callers authenticating the old way are refused by the gateway.'),
    define('api-security-component-oauth-url-changed', 'info', 'none', 'security', 'The authorization URL of an OAuth flow changed.'),
    define('api-security-component-oauth-token-url-changed', 'info', 'none', 'security', 'The token URL of an OAuth flow changed.'),
    define('api-security-component-oauth-scope-added', 'info', 'none', 'security', 'A scope was added to an OAuth flow.'),
    define('api-security-component-oauth-scope-removed', 'info', 'none', 'security', 'A scope was removed from an OAuth flow.'),
    define('api-security-component-oauth-scope-changed', 'info', 'none', 'security', 'The description of an OAuth scope changed.'),
  ],
  run(comparison, reporter) {
    const { securitySchemes } = comparison;
    for (const scheme of securitySchemes.added) {
      reporter.report({ id: 'api-security-component-added', message: `added the security scheme '${scheme.name}'`, revision: scheme });
    }
    for (const scheme of securitySchemes.removed) {
      reporter.report({ id: 'api-security-component-removed', message: `removed the security scheme '${scheme.name}'`, base: scheme });
    }
    for (const { base, revision } of securitySchemes.matched) {
      const name = revision.name;
      const at = { base, revision };
      const typeBefore = field(base.value, 'type');
      const typeAfter = field(revision.value, 'type');
      if (typeBefore !== typeAfter) {
        reporter.report({ ...at, id: 'api-security-component-type-changed', message: `the type of the security scheme '${name}' changed from '${String(typeBefore)}' to '${String(typeAfter)}'` });
      }
      for (const flow of FLOWS) {
        const before = field(field(base.value, 'flows'), flow);
        const after = field(field(revision.value, 'flows'), flow);
        if (!isObject(before) || !isObject(after)) continue;
        const flowAt = {
          base: { file: base.file, pointer: `${base.pointer}/flows/${flow}` },
          revision: { file: revision.file, pointer: `${revision.pointer}/flows/${flow}` },
        };
        if (before.authorizationUrl !== after.authorizationUrl) {
          reporter.report({ ...flowAt, id: 'api-security-component-oauth-url-changed', message: `the authorization URL of the ${flow} flow of '${name}' changed from '${String(before.authorizationUrl)}' to '${String(after.authorizationUrl)}'` });
        }
        if (before.tokenUrl !== after.tokenUrl) {
          reporter.report({ ...flowAt, id: 'api-security-component-oauth-token-url-changed', message: `the token URL of the ${flow} flow of '${name}' changed from '${String(before.tokenUrl)}' to '${String(after.tokenUrl)}'` });
        }
        const scopesBefore = (isObject(before.scopes) ? before.scopes : {}) as JsonObject;
        const scopesAfter = (isObject(after.scopes) ? after.scopes : {}) as JsonObject;
        for (const scope of Object.keys(scopesAfter)) {
          const pointer = `${flowAt.revision.pointer}/scopes/${escapeToken(scope)}`;
          if (!(scope in scopesBefore)) {
            reporter.report({ id: 'api-security-component-oauth-scope-added', message: `added the scope '${scope}' to the ${flow} flow of '${name}'`, revision: { file: revision.file, pointer } });
          } else if (scopesBefore[scope] !== scopesAfter[scope]) {
            reporter.report({ ...flowAt, id: 'api-security-component-oauth-scope-changed', message: `the description of the scope '${scope}' of the ${flow} flow of '${name}' changed` });
          }
        }
        for (const scope of Object.keys(scopesBefore)) {
          if (scope in scopesAfter) continue;
          reporter.report({ id: 'api-security-component-oauth-scope-removed', message: `removed the scope '${scope}' from the ${flow} flow of '${name}'`, base: { file: base.file, pointer: `${flowAt.base.pointer}/scopes/${escapeToken(scope)}` } });
        }
      }
    }
  },
};
