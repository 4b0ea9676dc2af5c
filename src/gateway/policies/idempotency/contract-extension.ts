/**
 * The `x-accord-idempotency` extension of an operation in the contract: its shape checked at load
 * (an error names the contract file, the JSON pointer and the line).
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ContractError } from '../../../contracts/openapi-document.js';
import type { OperationExtension } from '../../../contracts/compile/types.js';
import { operationIdempotencySchema, type OperationIdempotencyConfig } from './schema.js';

/** The name of the extension. */
export const IDEMPOTENCY_EXTENSION = 'x-accord-idempotency';

/** Methods whose operations may take an Idempotency-Key (the draft's non-idempotent methods Accord honours). */
export const IDEMPOTENCY_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH']);

/** Reads the extension of an operation (`method` upper-case); made once per routing table (it holds a compiled validator). */
export type IdempotencyExtensionReader = (extension: OperationExtension | undefined, method: string) => OperationIdempotencyConfig | undefined;

function describe(error: ErrorObject): { at: string; message: string } {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return { at: `${error.instancePath}/${String(params.additionalProperty)}`, message: `unknown property "${String(params.additionalProperty)}"` };
  return { at: error.instancePath, message: error.message ?? error.keyword };
}

/**
 * A reader of the extension. It throws ContractError (file, pointer, line) for a value that breaks
 * the schema, or for an extension that enables idempotency on a method other than POST or PATCH.
 */
export function createIdempotencyExtensionReader(): IdempotencyExtensionReader {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  const validate = ajv.compile<OperationIdempotencyConfig>(operationIdempotencySchema);
  return (extension, method) => {
    if (extension === undefined) return undefined;
    const fail = (at: string, message: string): never => {
      const pointer = extension.pointer + at;
      throw new ContractError('CONTRACT_INVALID', extension.file, pointer, `${IDEMPOTENCY_EXTENSION}: ${message}`, extension.lineOf(pointer) ?? extension.line);
    };
    const value = extension.value;
    if (!validate(value)) {
      const first = describe(validate.errors![0]!);
      return fail(first.at, first.message);
    }
    if (!IDEMPOTENCY_METHODS.has(method) && value.enabled !== false) return fail('', `Idempotency-Key is honoured on POST and PATCH operations only, not ${method}`);
    return value;
  };
}
