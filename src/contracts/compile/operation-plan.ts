/** Plans one operation at load: its parameters, request body and responses, with their schemas added to the contract's bundle. */
import { ContractError, isObject, type JsonObject, type Location, type OpenApiDocument, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';
import type { OperationSite } from './operation-walk.js';
import { planParameter, type ParameterGroup, type ParameterPlan } from './parameter-plan.js';
import { SchemaBundle, type Direction } from './schema-bundle.js';
import { isFormMediaType, isJsonMediaType, isMultipartMediaType, mediaTypeEssence } from './media-type.js';
import { nestedShapeOf, type RefFollower } from './value-shape.js';
import { PLAIN_FORM, type FormField, type FormRules, type FormStyle } from './form-body.js';
import { securityOf, warnUnenforcedAlternatives } from './security-requirements.js';
import type { SecurityRequirements } from './types.js';

/** One declared media type of a request body or response. */
export interface MediaPlan {
  declared: string;
  /** Bundle def of the schema bodies are validated against (JSON, form and wildcard media types only). */
  schemaKey: string | undefined;
  form: FormRules;
  location: Location;
}

/** An operation with every schema it uses placed in the bundle, ready to compile. */
export interface OperationPlan {
  site: OperationSite;
  operationId: string | undefined;
  deprecated: boolean;
  security: SecurityRequirements | undefined;
  parameters: { plans: ParameterPlan[]; groups: ParameterGroup[]; schemaKey: string; location: Location } | undefined;
  body: { required: boolean; media: MediaPlan[] } | undefined;
  responses: Array<{ statusKey: string; location: Location; media: MediaPlan[] | undefined }>;
}

/** What planning needs from the compiler. */
export interface PlanContext {
  doc: OpenApiDocument;
  bundle: SchemaBundle;
  coerce: boolean;
  warn(file: string, pointer: string, message: string): void;
}

const GROUP_ORDER: readonly ParameterGroup[] = ['path', 'query', 'headers', 'cookies'];
const STATUS_KEY = /^(?:[1-5]\d\d|[1-5]XX|default)$/i;
const NO_FORM: FormRules = PLAIN_FORM;
const FORM_STYLES: readonly FormStyle[] = ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'];

/** Plans an operation; throws ContractError for what the gateway could not enforce. */
export function planOperation(site: OperationSite, context: PlanContext): OperationPlan {
  const operation = site.operation.value;
  const security = securityOf(context.doc, site.operation);
  warnUnenforcedAlternatives(security, context.warn, context.doc.file);
  return {
    site,
    operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
    deprecated: operation.deprecated === true,
    security,
    parameters: planParameters(site, context),
    body: planBody(site, context),
    responses: planResponses(site, context),
  };
}

function follower(context: PlanContext): RefFollower {
  return (ref, file, pointer) => context.bundle.resolveRef(ref, file, pointer);
}

function planParameters(site: OperationSite, context: PlanContext): OperationPlan['parameters'] {
  const { bundle } = context;
  const plans: ParameterPlan[] = [];
  const groups = new Map<ParameterGroup, { type: 'object'; properties: Record<string, unknown>; required: string[] }>();
  for (const parameter of site.parameters) {
    const planned = planParameter(context.doc, parameter, follower(context), { coerce: context.coerce });
    if (!planned) continue;
    const { plan, schema } = planned;
    plans.push(plan);
    let group = groups.get(plan.group);
    if (!group) {
      group = { type: 'object', properties: {}, required: [] };
      groups.set(plan.group, group);
    }
    const ref = { $ref: SchemaBundle.localRef(bundle.defFor(schema.value, schema.file, schema.pointer, 'request')) };
    bundle.markOrigin(ref, { file: parameter.file, pointer: parameter.pointer });
    // allowEmptyValue: an empty value is accepted as it is; any other value must match the schema.
    group.properties[plan.name] = plan.allowEmptyValue ? { if: { const: '' }, else: ref } : ref;
    if (plan.required) group.required.push(plan.name);
  }
  warnUndeclaredPathParameters(site, plans, context);
  if (plans.length === 0) return undefined;
  const location = { file: site.operation.file, pointer: `${site.operation.pointer}/parameters` };
  const ordered = GROUP_ORDER.filter((group) => groups.has(group));
  const properties: Record<string, unknown> = {};
  for (const name of ordered) properties[name] = groups.get(name);
  const schemaKey = bundle.addBuilt({ type: 'object', properties }, location);
  // Parameters are read in group order too, so decode violations come out in pointer order.
  const sorted = [...plans].sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));
  return { plans: sorted, groups: ordered, schemaKey, location };
}

function warnUndeclaredPathParameters(site: OperationSite, plans: readonly ParameterPlan[], context: PlanContext): void {
  const inTemplate = new Set([...site.pathTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!));
  const declared = new Set(plans.filter((p) => p.group === 'path').map((p) => p.name));
  const { file, pointer } = site.operation;
  for (const name of inTemplate) {
    if (!declared.has(name)) context.warn(file, pointer, `path parameter "${name}" of ${site.pathTemplate} is not declared, so it is not validated`);
  }
  for (const name of declared) {
    if (!inTemplate.has(name)) context.warn(file, pointer, `path parameter "${name}" is declared but ${site.pathTemplate} has no {${name}}`);
  }
}

function planBody(site: OperationSite, context: PlanContext): OperationPlan['body'] {
  const declared = site.operation.value.requestBody;
  if (declared === undefined) return undefined;
  const body = context.doc.deref<unknown>(declared, site.operation.file, `${site.operation.pointer}/requestBody`);
  if (!isObject(body.value)) throw invalid(context.doc, body.file, body.pointer, 'a request body must be a mapping');
  const media = planContent(body as Resolved<JsonObject>, 'request', context) ?? [];
  return { required: body.value.required === true, media };
}

function planResponses(site: OperationSite, context: PlanContext): OperationPlan['responses'] {
  const responses = site.operation.value.responses;
  const pointer = `${site.operation.pointer}/responses`;
  if (responses === undefined) return [];
  if (!isObject(responses)) throw invalid(context.doc, site.operation.file, pointer, '"responses" must be a mapping');
  const planned: OperationPlan['responses'] = [];
  for (const statusKey of Object.keys(responses)) {
    const at = `${pointer}/${escapeToken(statusKey)}`;
    if (statusKey.startsWith('x-')) continue;
    if (!STATUS_KEY.test(statusKey)) {
      context.warn(site.operation.file, at, `"${statusKey}" is not a status code, a range like 4XX, or default; ignored`);
      continue;
    }
    const response = context.doc.deref<unknown>(responses[statusKey], site.operation.file, at);
    if (!isObject(response.value)) throw invalid(context.doc, response.file, response.pointer, 'a response must be a mapping');
    planned.push({
      statusKey: statusKey.toUpperCase() === 'DEFAULT' ? 'default' : statusKey.toUpperCase(),
      location: { file: response.file, pointer: response.pointer },
      media: planContent(response as Resolved<JsonObject>, 'response', context),
    });
  }
  return planned;
}

/** The media types of a `content` map (undefined when there is none, or it is empty). */
function planContent(owner: Resolved<JsonObject>, direction: Direction, context: PlanContext): MediaPlan[] | undefined {
  const content = owner.value.content;
  if (content === undefined) return undefined;
  const pointer = `${owner.pointer}/content`;
  if (!isObject(content)) throw invalid(context.doc, owner.file, pointer, '"content" must be a mapping');
  const keys = Object.keys(content);
  if (keys.length === 0) return undefined;
  return keys.map((declared): MediaPlan => {
    const at = `${pointer}/${escapeToken(declared)}`;
    const media = content[declared];
    const essence = mediaTypeEssence(declared);
    // Ranges that can match JSON or form bodies (`*/*`, `application/*`, `application/*+json`) get the schema too.
    const isApplicationRange = essence === '*/*' || essence.startsWith('application/*');
    const readsJson = isApplicationRange || isJsonMediaType(essence);
    const readsForm = direction === 'request' && (isApplicationRange || isFormMediaType(essence) || isMultipartMediaType(essence));
    const location = { file: owner.file, pointer: at };
    if (!isObject(media) || media.schema === undefined || !(readsJson || readsForm)) {
      return { declared, schemaKey: undefined, form: NO_FORM, location };
    }
    const schemaPointer = `${at}/schema`;
    const schemaKey = context.bundle.defFor(media.schema, owner.file, schemaPointer, direction);
    return { declared, schemaKey, form: readsForm ? formRules(media, owner.file, at, context) : NO_FORM, location };
  });
}

/**
 * How the fields of a form body are read: each property's Encoding Object (`style`, `explode`,
 * `contentType`; defaults `form`, explode true) and the nested shape of its schema.
 */
function formRules(media: JsonObject, file: string, mediaPointer: string, context: PlanContext): FormRules {
  const shape = nestedShapeOf({ value: media.schema, file, pointer: `${mediaPointer}/schema` }, follower(context), {
    coerce: context.coerce,
    is30: context.doc.majorMinor === '3.0',
  });
  if (shape.kind !== 'object') return NO_FORM;
  const encodings = isObject(media.encoding) ? media.encoding : {};
  const fieldOf = (name: string, member: FormField['shape']): FormField => {
    const encoding = Object.prototype.hasOwnProperty.call(encodings, name) ? encodings[name] : undefined;
    if (encoding === undefined) return { style: 'form', explode: true, shape: member, contentTypes: [] };
    const at = `${mediaPointer}/encoding/${escapeToken(name)}`;
    if (!isObject(encoding)) throw invalid(context.doc, file, at, 'an Encoding Object must be a mapping');
    const style = encoding.style ?? 'form';
    if (typeof style !== 'string' || !FORM_STYLES.includes(style as FormStyle)) {
      throw invalid(context.doc, file, `${at}/style`, `style "${String(style)}" is not a form style (allowed: ${FORM_STYLES.join(', ')})`);
    }
    const explode = typeof encoding.explode === 'boolean' ? encoding.explode : style === 'form';
    const contentTypes = typeof encoding.contentType === 'string'
      ? encoding.contentType.split(',').map((range) => mediaTypeEssence(range)).filter((range) => range !== '')
      : [];
    return { style: style as FormStyle, explode, shape: member, contentTypes };
  };
  const fields = new Map<string, FormField>();
  for (const [name, member] of shape.properties) fields.set(name, fieldOf(name, member));
  return { fields, additional: { style: 'form', explode: true, shape: shape.additional, contentTypes: [] } };
}

function invalid(doc: OpenApiDocument, file: string, pointer: string, message: string): ContractError {
  return new ContractError('CONTRACT_INVALID', file, pointer, message, doc.lineOf(file, pointer));
}
