/**
 * The `x-accord-rate-limit` extension of an operation in the contract: its shape checked at load
 * (an error names the contract file, the JSON pointer and the line), defaults applied.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ContractError } from '../../../contracts/openapi-document.js';
import { toPointer } from '../../../contracts/json-pointer.js';
import type { OperationExtension } from '../../../contracts/compile/types.js';
import { limitsIssues } from './check-config.js';
import { operationLimitsSchema, type OperationLimitsConfig } from './schema.js';

/** The name of the extension. */
export const RATE_LIMIT_EXTENSION = 'x-accord-rate-limit';

/** Reads the extension of operations; made once per routing table (it holds a compiled validator). */
export type ExtensionReader = (extension: OperationExtension | undefined) => OperationLimitsConfig | undefined;

function describe(error: ErrorObject): { at: string; message: string } {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return { at: `${error.instancePath}/${String(params.additionalProperty)}`, message: `unknown property "${String(params.additionalProperty)}"` };
  if (error.keyword === 'required') return { at: error.instancePath, message: `required property "${String(params.missingProperty)}" is missing` };
  if (error.keyword === 'enum') return { at: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  return { at: error.instancePath, message: error.message ?? error.keyword };
}

/**
 * A reader of the extension. It throws ContractError (file, pointer, line) for a value that breaks
 * the schema, an unknown time zone, or an override of a plan that is not declared.
 */
export function createExtensionReader(plans: ReadonlySet<string>): ExtensionReader {
  const ajv = new Ajv2020({ allErrors: false, useDefaults: true, strict: false });
  const validate = ajv.compile<OperationLimitsConfig>(operationLimitsSchema);
  return (extension) => {
    if (extension === undefined) return undefined;
    // A copy: defaults are filled in without touching the loaded contract.
    const value: unknown = structuredClone(extension.value);
    const fail = (at: string, message: string): never => {
      const pointer = extension.pointer + at;
      throw new ContractError('CONTRACT_INVALID', extension.file, pointer, `${RATE_LIMIT_EXTENSION}: ${message}`, extension.lineOf(pointer) ?? extension.line);
    };
    if (!validate(value)) {
      const first = describe(validate.errors![0]!);
      return fail(first.at, first.message);
    }
    const issue = limitsIssues(value, [], plans)[0];
    if (issue) return fail(toPointer(issue.at), issue.message);
    return value;
  };
}
