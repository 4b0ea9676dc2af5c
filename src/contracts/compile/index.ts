/** Compiles every operation's request and response validators of a contract once, at load (the gateway's hot-path validation). */
import type { OpenApiDocument } from '../openapi-document.js';
import { createAjv, isKnownFormat } from './ajv-instance.js';
import { SchemaBundle } from './schema-bundle.js';
import { listOperations } from './operation-walk.js';
import { planOperation } from './operation-plan.js';
import { buildOperation } from './compiled-operation.js';
import { compileFailure } from './compile-failure.js';
import type { CompiledContract, CompileOptions } from './types.js';
import { sensitiveFieldsOf } from './sensitive-fields.js';

export { isJwtScheme, isKeyScheme, isMutualTlsScheme, isEnforcedScheme, schemeKind, ENFORCED_SCHEMES } from './security-requirements.js';

export type {
  CompiledContract,
  CompiledOperation,
  CompileOptions,
  DeclaredParameter,
  RequestCheck,
  RequestParts,
  ResponseCheck,
  SecurityRequirements,
  SecuritySchemeRequirement,
  UndeclaredParameters,
  Violation,
} from './types.js';
export type { SensitiveFields } from './sensitive-fields.js';

/**
 * Compiles a contract (OpenAPI 3.0 or 3.1) into one CompiledOperation per operation. All schemas
 * are translated to JSON Schema 2020-12 once, added to one Ajv instance, and every validator is
 * compiled here, so nothing is compiled on the request path and nothing fails there.
 *
 * Throws ContractError (`CONTRACT_INVALID` with the file, pointer and line of the offending schema
 * or declaration, `CONTRACT_REF_UNRESOLVED` for a `$ref` that leads nowhere) when the contract
 * cannot be enforced.
 */
export function compileContract(doc: OpenApiDocument, options: CompileOptions = {}): CompiledContract {
  const warnings: string[] = [];
  const seen = new Set<string>();
  const warn = (file: string, pointer: string, message: string): void => {
    const line = doc.lineOf(file, pointer);
    const text = `${line ? `${file}:${line}` : file}${pointer ? ` (#${pointer})` : ''}: ${message}`;
    if (seen.has(text)) return;
    seen.add(text);
    warnings.push(text);
  };
  const ajv = createAjv((message) => warn(doc.file, '', message), { validateSchema: false });
  const bundle = new SchemaBundle(doc, { isKnownFormat: (name) => isKnownFormat(ajv, name), warn });
  const context = { doc, bundle, coerce: options.coerceTypes ?? true, warn };
  const plans = listOperations(doc).map((site) => planOperation(site, context));
  try {
    ajv.addSchema(bundle.root());
  } catch (error) {
    throw compileFailure(error, bundle, doc, { file: doc.file, pointer: '' });
  }
  const undeclared = options.undeclaredParameters ?? 'allow';
  const operations = plans.map((plan) => {
    const op = buildOperation(plan, ajv, bundle, doc, undeclared, options.enumSites ?? false);
    if (options.sensitiveFields) op.sensitiveFields = sensitiveFieldsOf(doc, plan.site);
    return op;
  });
  return { operations, warnings };
}
