/** Loads a contract for the mock: parse, bundle into one document, check it as the validator will, and plan the answers. */
import { basename } from 'node:path';
import { OpenApiSpecLoader } from 'express-openapi-validator/dist/framework/openapi.spec.loader.js';
import { OpenAPISchemaValidator } from 'express-openapi-validator/dist/framework/openapi.schema.validator.js';
import { loadOpenApi, ContractError, isObject, type JsonObject } from '../contracts/openapi-document.js';
import { bundleDocument } from './bundle-document.js';
import { dropUntypedNullable } from './drop-untyped-nullable.js';
import { buildResponsePlan, type MockOperation, type PlanWarning } from './response-plan.js';

/** A contract ready to be mocked. */
export interface MockContract {
  file: string;
  title: string;
  version: string;
  /** The bundled document with `servers` set to `/`, as express-openapi-validator receives it. */
  document: JsonObject;
  /** OpenAPI 3.0 (`nullable`) rather than 3.1. */
  is30: boolean;
  operations: MockOperation[];
  warnings: PlanWarning[];
}

/**
 * Loads and checks a contract. Throws SourceError (unreadable, not YAML/JSON) or ContractError
 * (not OpenAPI 3.0/3.1, unresolvable `$ref`, rejected by the validator's OpenAPI schema, no operations).
 */
export async function loadMockContract(contractFile: string): Promise<MockContract> {
  const doc = loadOpenApi(contractFile);
  const bundled = bundleDocument(doc);
  // The gateway strips `<basePath>/v<major>` before proxying, so the mock serves the paths as written.
  const document: JsonObject = { ...(doc.majorMinor === '3.0' ? dropUntypedNullable(bundled) : bundled), servers: [{ url: '/' }] };
  // The validator's own OpenAPI schema check, run here so that a bad contract stops the start with a
  // located one-line reason (the validator itself would print a JSON dump and fail every request).
  const { errors } = new OpenAPISchemaValidator({ version: doc.openapi, validateApiSpec: true }).validate(document as never);
  if (errors && errors.length > 0) {
    const [first] = errors;
    const more = errors.length > 1 ? ` (${errors.length - 1} more)` : '';
    throw new ContractError('CONTRACT_INVALID', doc.file, first.instancePath, `not a valid OpenAPI ${doc.majorMinor} document: ${first.message ?? first.keyword}${more}`, doc.lineOf(doc.file, first.instancePath));
  }
  try {
    await new OpenApiSpecLoader({ apiDoc: structuredClone(document) as never, validateApiSpec: false, $refParser: { mode: 'bundle' } }).load();
  } catch (error) {
    throw new ContractError('CONTRACT_INVALID', doc.file, '', `the request validator cannot load this contract: ${(error as Error).message.split('\n')[0]}`);
  }
  const { operations, warnings } = buildResponsePlan(bundled, doc.file);
  if (operations.length === 0) throw new ContractError('CONTRACT_INVALID', doc.file, '/paths', 'the contract has no operations to mock');
  const info = isObject(bundled.info) ? bundled.info : {};
  return {
    file: doc.file,
    title: typeof info.title === 'string' ? info.title : basename(doc.file),
    version: typeof info.version === 'string' ? info.version : '',
    document,
    is30: doc.majorMinor === '3.0',
    operations,
    warnings,
  };
}
