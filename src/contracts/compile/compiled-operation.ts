/** Compiles a planned operation's validators with the contract's Ajv and assembles the CompiledOperation. */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import type { Location, OpenApiDocument } from '../openapi-document.js';
import type { CompiledOperation, OperationExtension, DeclaredParameter, RequestCheck, RequestParts, ResponseCheck, SecurityRequirements, UndeclaredParameters } from './types.js';
import { escapeToken } from '../json-pointer.js';
import type { OperationPlan } from './operation-plan.js';
import type { ParameterGroup, ParameterPlan } from './parameter-plan.js';
import { BUNDLE_ID, type SchemaBundle } from './schema-bundle.js';
import { MediaTypeTable } from './media-type.js';
import { queryNamesOf, RequestValidator, type BodyMedia } from './request-check.js';
import { ResponseValidator, type ResponseMedia, type ResponseRule } from './response-check.js';
import { compileFailure } from './compile-failure.js';
import { annotationNeed, createAnnotationValidator } from './annotation-validator.js';
import { ContractError } from '../openapi-document.js';
import { enumSitesOf, type EnumSite } from './enum-sites.js';

/** A compiled operation: plain data plus two validators whose methods do the request-path work. */
class OperationValidators implements CompiledOperation {
  readonly method: string;
  readonly pathTemplate: string;
  readonly operationId: string | undefined;
  readonly deprecated: boolean;
  readonly security: SecurityRequirements | undefined;
  readonly requestMediaTypes: readonly string[];
  readonly requestBodyRequired: boolean;
  readonly hasBodyValidation: boolean;
  readonly extensions: ReadonlyMap<string, OperationExtension>;
  readonly parameters: readonly DeclaredParameter[];
  readonly enumSites: readonly EnumSite[];
  private readonly request: RequestValidator;
  private readonly response: ResponseValidator;

  constructor(plan: OperationPlan, request: RequestValidator, response: ResponseValidator, extensions: ReadonlyMap<string, OperationExtension>, enumSites: readonly EnumSite[]) {
    this.method = plan.site.method;
    this.pathTemplate = plan.site.pathTemplate;
    this.operationId = plan.operationId;
    this.deprecated = plan.deprecated;
    this.security = plan.security;
    this.requestMediaTypes = plan.body?.media.map((m) => m.declared) ?? [];
    this.requestBodyRequired = plan.body?.required ?? false;
    this.hasBodyValidation = plan.body?.media.some((m) => m.schemaKey !== undefined) ?? false;
    this.extensions = extensions;
    this.parameters = (plan.parameters?.plans ?? []).map(declaredParameter);
    this.enumSites = enumSites;
    this.request = request;
    this.response = response;
  }

  checkRequest(parts: RequestParts): RequestCheck {
    return this.request.check(parts);
  }

  checkFraming(parts: RequestParts): RequestCheck | undefined {
    return this.request.checkFraming(parts);
  }

  checkResponse(status: number, contentType: string | undefined, body: Buffer): ResponseCheck {
    return this.response.check(status, contentType, body);
  }
}

const IN_OF: Readonly<Record<ParameterGroup, DeclaredParameter['in']>> = { path: 'path', query: 'query', headers: 'header', cookies: 'cookie' };

/** What a parameter plan tells about the names a request uses for it. */
function declaredParameter(plan: ParameterPlan): DeclaredParameter {
  const declared: DeclaredParameter = { in: IN_OF[plan.group], name: plan.name };
  if (plan.group !== 'query') return declared;
  if (plan.style === 'deepObject') return { ...declared, deep: true };
  if (plan.style === 'form' && plan.explode && plan.shape.kind === 'object' && !plan.isJson) return { ...declared, members: [...plan.shape.properties.keys()] };
  return declared;
}

/** Compiles one bundle def (shared defs are compiled once per contract); a failure names the contract location. */
function compileDef(ajv: Ajv2020, bundle: SchemaBundle, doc: OpenApiDocument, key: string, at: Location): ValidateFunction {
  const defs = bundle.root().$defs as Record<string, unknown>;
  const need = bundle.usesUnevaluated() ? annotationNeed(defs, key) : undefined;
  if (need?.needed && need.unsupported) {
    const location = bundle.locate(need.unsupported.segments);
    throw new ContractError('CONTRACT_INVALID', location.file, location.pointer, need.unsupported.reason, doc.lineOf(location.file, location.pointer));
  }
  let validate: ValidateFunction | undefined;
  try {
    validate = ajv.getSchema(`${BUNDLE_ID}#/$defs/${key}`);
  } catch (error) {
    throw compileFailure(error, bundle, doc, at);
  }
  if (!validate) throw compileFailure(new Error(`def ${key} is missing from the bundle`), bundle, doc, at);
  return need?.needed ? createAnnotationValidator(defs, need, key, validate) : validate;
}

/** Builds the CompiledOperation of a plan; the bundle must already be added to `ajv`. */
export function buildOperation(
  plan: OperationPlan,
  ajv: Ajv2020,
  bundle: SchemaBundle,
  doc: OpenApiDocument,
  undeclared: UndeclaredParameters,
  withEnumSites = false,
): CompiledOperation {
  const compile = (key: string, at: Location): ValidateFunction => compileDef(ajv, bundle, doc, key, at);

  const parameters = plan.parameters
    ? { plans: plan.parameters.plans, groups: plan.parameters.groups, validate: compile(plan.parameters.schemaKey, plan.parameters.location) }
    : undefined;
  const body = plan.body
    ? {
        required: plan.body.required,
        media: new MediaTypeTable<BodyMedia>(
          plan.body.media.map((m) => [m.declared, { declared: m.declared, validate: m.schemaKey ? compile(m.schemaKey, m.location) : undefined, form: m.form }] as const),
        ),
      }
    : undefined;

  const exact = new Map<number, ResponseRule>();
  const ranges: Array<ResponseRule | undefined> = [];
  let fallback: ResponseRule | undefined;
  for (const response of plan.responses) {
    const media = response.media
      ? new MediaTypeTable<ResponseMedia>(
          response.media.map((m) => [m.declared, { declared: m.declared, validate: m.schemaKey ? compile(m.schemaKey, m.location) : undefined }] as const),
        )
      : undefined;
    const rule: ResponseRule = { statusKey: response.statusKey, media };
    if (response.statusKey === 'default') fallback = rule;
    else if (response.statusKey.endsWith('XX')) ranges[Number(response.statusKey[0])] = rule;
    else exact.set(Number(response.statusKey), rule);
  }
  const response = new ResponseValidator({ exact, ranges, fallback, declared: plan.responses.map((r) => r.statusKey) });
  const queryNames = queryNamesOf(plan.parameters?.plans ?? [], undeclared);
  return new OperationValidators(plan, new RequestValidator(parameters, body, queryNames), response, extensionsOf(plan, doc), withEnumSites ? enumSitesOf(plan.site, doc) : []);
}

/** The operation's `x-accord-` extensions, located; other extensions are not the gateway's. */
function extensionsOf(plan: OperationPlan, doc: OpenApiDocument): ReadonlyMap<string, OperationExtension> {
  const extensions = new Map<string, OperationExtension>();
  const { value, file, pointer } = plan.site.operation;
  // Only an operation that has such an extension keeps a reference to the document (for its lines).
  const lineOf = (at: string): number | undefined => doc.lineOf(file, at);
  for (const [name, extension] of Object.entries(value)) {
    if (!name.startsWith('x-accord-')) continue;
    const at = `${pointer}/${escapeToken(name)}`;
    extensions.set(name, { value: extension, file, pointer: at, line: doc.lineOf(file, at), lineOf });
  }
  return extensions;
}
