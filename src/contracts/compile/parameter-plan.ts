/** Plans, at load, how each parameter of an operation is found in a request and turned from text into a value. */
import { ContractError, isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';
import { isJsonMediaType, mediaTypeEssence } from './media-type.js';
import { nestedShapeOf, shapeOf, TYPE_STRING, type NestedShape, type RefFollower, type ValueShape } from './value-shape.js';

/** The member of the validated parameter object (and of the violation pointer) a parameter lives in. */
export type ParameterGroup = 'path' | 'query' | 'headers' | 'cookies';

/** OpenAPI serialisation styles. */
export type ParameterStyle = 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

/** Everything the request path needs to read one parameter. */
export interface ParameterPlan {
  /** Key in its group: the declared name, lower-cased for headers. */
  readonly name: string;
  readonly group: ParameterGroup;
  /** JSON pointer into the request, e.g. `/query/limit`. */
  readonly pointer: string;
  readonly required: boolean;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  /** An empty query value is accepted without checking the schema. */
  readonly allowEmptyValue: boolean;
  readonly shape: ValueShape;
  /** Declared with `content` of a JSON media type: the text is a JSON document. */
  readonly isJson: boolean;
  /** `;name=` for matrix style. */
  readonly matrixPrefix: string;
  /** `name[` for deepObject style. */
  readonly deepPrefix: string;
  /** The shape to any depth, for deepObject style (`name[a][0][b]=…`). */
  readonly nested: NestedShape | undefined;
}

/** A planned parameter with the schema it is validated against and where it is declared. */
export interface PlannedParameter {
  plan: ParameterPlan;
  schema: Resolved;
}

const GROUP_OF: Readonly<Record<string, ParameterGroup>> = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' };

const STYLES_OF: Readonly<Record<string, readonly ParameterStyle[]>> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};

/** Header parameters with these names SHALL be ignored (OpenAPI 3.x, Parameter Object). */
const IGNORED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);

/**
 * Plans one (already dereferenced) Parameter Object, or returns undefined for a header parameter the
 * specification says to ignore. Throws ContractError CONTRACT_INVALID for a parameter that cannot be
 * read (no name, unknown `in`, a style its location does not allow, neither `schema` nor `content`).
 */
export function planParameter(
  doc: OpenApiDocument,
  parameter: Resolved<JsonObject>,
  follow: RefFollower,
  options: { coerce: boolean },
): PlannedParameter | undefined {
  const { value, file, pointer } = parameter;
  const invalid = (at: string, message: string): ContractError =>
    new ContractError('CONTRACT_INVALID', file, at, message, doc.lineOf(file, at));
  if (typeof value.name !== 'string' || value.name === '') throw invalid(`${pointer}/name`, 'a parameter needs a name');
  const location = value.in;
  if (typeof location !== 'string' || !(location in GROUP_OF)) {
    throw invalid(`${pointer}/in`, `parameter "${value.name}": "in" must be path, query, header or cookie`);
  }
  if (location === 'header' && IGNORED_HEADERS.has(value.name.toLowerCase())) return undefined;
  const group = GROUP_OF[location]!;
  const allowed = STYLES_OF[location]!;
  const style = value.style ?? allowed[0];
  if (typeof style !== 'string' || !allowed.includes(style as ParameterStyle)) {
    throw invalid(`${pointer}/style`, `parameter "${value.name}": style "${String(style)}" is not allowed in ${location} (allowed: ${allowed.join(', ')})`);
  }
  const explode = typeof value.explode === 'boolean' ? value.explode : style === 'form';

  let schema: Resolved;
  let isJson = false;
  let textOnly = false;
  if (value.schema !== undefined) {
    schema = { value: value.schema, file, pointer: `${pointer}/schema` };
  } else if (isObject(value.content) && Object.keys(value.content).length > 0) {
    // A parameter with `content` carries one media type; its text is that media type's document.
    const mediaType = Object.keys(value.content)[0]!;
    const at = `${pointer}/content/${escapeToken(mediaType)}`;
    const media = value.content[mediaType];
    isJson = isJsonMediaType(mediaTypeEssence(mediaType));
    textOnly = !isJson;
    schema = { value: isObject(media) && media.schema !== undefined ? media.schema : true, file, pointer: `${at}/schema` };
  } else {
    throw invalid(pointer, `parameter "${value.name}" needs a "schema" or a "content" map`);
  }

  const name = group === 'headers' ? value.name.toLowerCase() : value.name;
  const shape: ValueShape = isJson || textOnly
    ? { kind: 'scalar', types: TYPE_STRING }
    : shapeOf(schema, follow, { coerce: options.coerce, is30: doc.majorMinor === '3.0' });
  return {
    plan: {
      name,
      group,
      pointer: `/${group}/${escapeToken(name)}`,
      required: location === 'path' || value.required === true,
      style: style as ParameterStyle,
      explode,
      allowEmptyValue: location === 'query' && value.allowEmptyValue === true,
      shape,
      isJson,
      matrixPrefix: `;${value.name}=`,
      deepPrefix: `${value.name}[`,
      nested: style === 'deepObject' && !isJson && !textOnly ? nestedShapeOf(schema, follow, { coerce: options.coerce, is30: doc.majorMinor === '3.0' }) : undefined,
    },
    schema,
  };
}
