/** Creates the one Ajv (JSON Schema 2020-12) instance of a contract, with the options every compiled validator relies on. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { linearRegExp } from './linear-pattern.js';

/**
 * A fresh Ajv for one contract. `allErrors` reports every violation, not the first; `strict: false`
 * lets OpenAPI annotations and `x-` extensions through and accepts `prefixItems` without
 * `minItems` (Ajv's strictTuples would refuse it). Nothing mutates data: no coercion, no defaults,
 * no removal, so a validated body is forwarded byte for byte. Ajv's own warnings go to `warn`.
 * `validateSchema: false` skips checking schemas against the 2020-12 meta-schema, whose compilation
 * costs more than compiling a typical contract; Ajv still refuses a keyword with a value of the
 * wrong type when it compiles it, and the refusal is then explained with the meta-schema.
 * `ownProperties` makes `required`, `properties` and `dependentRequired` see only a body's own
 * members: without it `{}` has `toString` and `constructor`. `code.regExp` evaluates every
 * `pattern` and `patternProperties` key in linear time (see linear-pattern.ts).
 */
export function createAjv(warn: (message: string) => void, options: { validateSchema: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    validateSchema: options.validateSchema,
    validateFormats: true,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    ownProperties: true,
    code: { regExp: linearRegExp },
    logger: { log: () => undefined, warn: (...args: unknown[]) => warn(args.map(String).join(' ')), error: (...args: unknown[]) => warn(args.map(String).join(' ')) },
  });
  // OpenAPI's formats (int32, int64, float, double, byte, binary, password) are among ajv-formats' own.
  addFormats.default(ajv);
  return ajv;
}

/** True when the Ajv instance can check this format. */
export function isKnownFormat(ajv: Ajv2020, name: string): boolean {
  return ajv.formats[name] !== undefined;
}
