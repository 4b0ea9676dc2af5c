/** Contracts built to cost a reader unbounded time or stack: an alias bomb, deep nesting, long `$ref` chains. */

const HEAD = 'openapi: 3.0.3\ninfo: {title: hostile, version: 1.0.0}\n';

/** A "billion laughs" in an `x-` extension: nine levels of nine aliases, about 430 bytes that expand to 4.9 x 10^8 nodes. */
export function aliasBomb(): string {
  const levels = 'abcdefghi';
  let text = `${HEAD}paths: {}\nx-bomb:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
  for (let i = 1; i < levels.length; i++) {
    const alias = `*${levels[i - 1]}`;
    text += `  ${levels[i]}: &${levels[i]} [${Array(9).fill(alias).join(',')}]\n`;
  }
  return text;
}

/** Flow sequences nested `depth` deep in an `x-` extension, as YAML. */
export function deepYaml(depth: number): string {
  return `${HEAD}paths: {}\nx-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/** The same as JSON. */
export function deepJson(depth: number): string {
  return `{"openapi":"3.0.3","info":{"title":"hostile","version":"1.0.0"},"paths":{},"x-deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

const OPERATION =
  'paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200":\n          description: ok\n' +
  '          content:\n            application/json:\n              schema: {$ref: "#/components/schemas/S0"}\n' +
  'components:\n  schemas:\n';

/** `S0` is a `$ref` to `S1`, … to `S<length>`, a string. */
export function refChain(length: number): string {
  let text = HEAD + OPERATION;
  for (let i = 0; i < length; i++) text += `    S${i}: {$ref: "#/components/schemas/S${i + 1}"}\n`;
  return `${text}    S${length}: {type: string}\n`;
}

/** `S0` has a property `next` that is a `$ref` to `S1`, … : schemas nested `length` deep through `$ref`s. */
export function refNesting(length: number): string {
  let text = HEAD + OPERATION;
  for (let i = 0; i < length; i++) text += `    S${i}: {type: object, properties: {next: {$ref: "#/components/schemas/S${i + 1}"}}}\n`;
  return `${text}    S${length}: {type: string}\n`;
}
