/**
 * The schema comparator of `accord diff`: walks two resolved schemas pairwise and reports each change
 * once, with oasdiff-compatible check IDs chosen by the direction of the data and where the schema sits.
 */
import { isObject, type OpenApiDocument } from '../../../contracts/openapi-document.js';
import type { Severity } from '../../findings.js';
import {
  checkBounds,
  checkConst,
  checkContentEncoding,
  checkDefault,
  checkDependentRequired,
  checkDeprecation,
  checkDiscriminator,
  checkEnum,
  checkExtensibleEnum,
  checkMultipleOf,
  checkNullable,
  checkPattern,
  checkType,
  checkUniqueItems,
} from './keyword-checks.js';
import { DiffBudget } from '../budget.js';
import { NodeEmitter, type ParameterTraits, type SchemaContext, type WalkSettings } from './node-emitter.js';
import { SchemaFingerprints } from './fingerprint.js';
import { canonical } from './keyword-checks.js';
import { flattenResult, PairResult, type ResultEntry } from './pair-result.js';
import { SchemaNormaliser } from './normalise.js';
import { checkProperties } from './property-checks.js';
import { changeLocation, childNode, isAnnotationOnly, refName, resolveNode, type SchemaNode } from './schema-node.js';
import { checkSubschemas } from './subschema-checks.js';
import { listOfTypesChange, nullableWrapPayload, oneOfWrapping, withoutType } from './transitions.js';
import type { Walk } from './walk.js';

export type { SchemaContext } from './node-emitter.js';

/** One side of a comparison: a schema value and where it was found (it may be a `$ref`). */
export interface SchemaSide {
  value: unknown;
  file: string;
  pointer: string;
}

/** One change between two versions of a schema. */
export interface SchemaChange {
  /** oasdiff-compatible check ID (see `SCHEMA_CHECKS`). */
  id: string;
  severity: Severity;
  /** Plain words, with the old and new values. */
  message: string;
  /** Path of the changed property inside the body or parameter (`['items', 'price']`); empty at the top level. The first of `paths` when several reach it. */
  propertyPath: string[];
  /** How many property paths from the top reach the changed node (a shared component reached several ways). */
  paths: number;
  /** The message naming the change from its nearest component (`property 'refunds' of schema 'Charge'`), the same for every path. */
  componentMessage: string;
  /** The changed node in the base, when it exists there. */
  base?: { file: string; pointer: string };
  /** The changed node in the revision, when it exists there. */
  revision?: { file: string; pointer: string };
}

/** What to compare. */
export interface SchemaComparisonInput {
  base: OpenApiDocument;
  revision: OpenApiDocument;
  baseSchema: SchemaSide;
  revisionSchema: SchemaSide;
  /** Which way the data flows: narrowing a request breaks clients, widening a response does. */
  direction: 'request' | 'response';
  /** Where the schema sits; it picks the ID prefix. */
  context: SchemaContext;
  /**
   * The body's media type. In a JSON media type (the default) a number is not a string; in a
   * text one (`application/xml`, `text/plain`) some type swaps are compatible.
   */
  mediaType?: string;
  /** Today, for sunset dates (default: now). */
  now?: Date;
  /**
   * For a parameter's schema: the Parameter Objects in each version (`in`, `required`, `style`,
   * `explode`). A default value only matters for an optional parameter, and form/explode
   * serialisation lets a scalar become an array compatibly.
   */
  parameters?: { base: unknown; revision: unknown };
}

/** How a comparator reads schemas. */
export interface ComparatorOptions {
  /** Compare normalised schemas (allOf merged, one-member compositions unwrapped, enums joined): default true. */
  flatten?: boolean;
}

/** Compares schema pairs, remembering every pair of locations it has compared. */
export interface SchemaComparator {
  compare(input: SchemaComparisonInput): SchemaChange[];
}

function isStronglyTyped(mediaType: string | undefined): boolean {
  if (mediaType === undefined) return true;
  const name = mediaType.split(';')[0].trim().toLowerCase();
  return name === 'application/json' || name.endsWith('+json') || name === '*/*' || name === 'application/*';
}

function parameterTraits(value: unknown): ParameterTraits {
  const p = isObject(value) ? value : {};
  const location = typeof p.in === 'string' ? p.in : 'query';
  const style = typeof p.style === 'string' ? p.style : location === 'query' || location === 'cookie' ? 'form' : 'simple';
  return { in: location, required: p.required === true, style, explode: typeof p.explode === 'boolean' ? p.explode : style === 'form' };
}

function rootSubject(context: SchemaContext): string {
  switch (context) {
    case 'request-body':
      return 'request body';
    case 'response-body':
      return 'response body';
    case 'response-header':
      return 'header';
    default:
      return 'parameter';
  }
}

const COMPOSITION_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

const COMPONENT_POINTER = /^\/components\/schemas\/([^/]+)$/;

/** The component a node is: the target of its `$ref`, or a schema found at `/components/schemas/NAME` itself. */
function componentName(node: SchemaNode): string | undefined {
  const named = refName(node);
  if (named !== undefined) return named;
  const match = COMPONENT_POINTER.exec(node.pointer);
  return match ? match[1]!.replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** The walk of one comparison setting (direction, context, typing), sharing the comparator's memo. */
class PairWalker implements Walk {
  constructor(
    private readonly settings: WalkSettings,
    private readonly baseDoc: OpenApiDocument,
    private readonly revisionDoc: OpenApiDocument,
    private readonly memo: Map<string, PairResult>,
    private readonly active: Set<string>,
    private readonly fingerprints: SchemaFingerprints,
    private readonly budget: DiffBudget,
    private readonly normalisers: { base: SchemaNormaliser; revision: SchemaNormaliser } | undefined,
  ) {}

  /**
   * The changes between two nodes, relative to them; memoised per pair of locations, so a shared
   * component is compared once and its result referenced (not copied) from every path reaching it.
   * Empty for a pair already being compared further up (a cycle).
   */
  pair(rawBase: SchemaNode, rawRevision: SchemaNode, root: boolean, withNotes = true): PairResult {
    let base = this.normalisers ? this.normalisers.base.normalise(rawBase) : rawBase;
    let revision = this.normalisers ? this.normalisers.revision.normalise(rawRevision) : rawRevision;
    // A composition one side still has after normalising is compared with the other side's, as
    // written: a one-member oneOf that gained a member is a member added, not a schema replaced.
    for (const keyword of COMPOSITION_KEYWORDS) {
      const inBase = base.value[keyword] !== undefined;
      const inRevision = revision.value[keyword] !== undefined;
      if (inBase && !inRevision && rawRevision.value[keyword] !== undefined) revision = rawRevision;
      else if (inRevision && !inBase && rawBase.value[keyword] !== undefined) base = rawBase;
    }
    const result = this.pairNormalised(base, revision, root);
    if (!withNotes || (base === rawBase && revision === rawRevision)) return result;
    const notes = this.annotationMembers(rawBase, rawRevision, root);
    if (notes.length === 0) return result;
    return new PairResult(result.hasChanges ? [...notes, { segment: null, child: result }] : notes);
  }

  /**
   * allOf members that only document (title, description) added or removed: no change to what the
   * schema accepts, which the normalised comparison sees, but worth a note (info).
   */
  private annotationMembers(rawBase: SchemaNode, rawRevision: SchemaNode, root: boolean): ResultEntry[] {
    const notes = (node: SchemaNode, doc: OpenApiDocument): string[] => {
      const list = node.value.allOf;
      if (!Array.isArray(list)) return [];
      const out: string[] = [];
      for (let i = 0; i < list.length; i++) {
        const member = childNode(doc, node, 'allOf', i);
        if (member && isAnnotationOnly(member)) out.push(canonical(member.value));
      }
      return out;
    };
    const before = notes(rawBase, this.baseDoc);
    const after = notes(rawRevision, this.revisionDoc);
    if (before.length === 0 && after.length === 0) return [];
    const added = after.filter((n) => !before.includes(n)).length;
    const removed = before.filter((n) => !after.includes(n)).length;
    const em = new NodeEmitter(this.settings, this.baseDoc, this.revisionDoc, rawBase, rawRevision, root);
    const where = { base: changeLocation(rawBase, 'allOf'), revision: changeLocation(rawRevision, 'allOf') };
    if (added > 0) em.node('all-of-added-annotation-only', { text: (s) => `${s} annotation-only allOf members added: ${added}`, ...where });
    if (removed > 0) em.node('all-of-removed-annotation-only', { text: (s) => `${s} annotation-only allOf members removed: ${removed}`, ...where });
    return em.entries;
  }

  private pairNormalised(base: SchemaNode, revision: SchemaNode, root: boolean): PairResult {
    const locations = `${base.key}\u0000${revision.key}`;
    const key = `${root ? 'R' : 'N'}\u0000${locations}`;
    const known = this.memo.get(key);
    if (known) return known;
    // A pair of locations already being compared, further up: a cycle, reported where it started.
    if (this.active.has(locations)) return PairResult.EMPTY;
    this.budget.visit();
    if (this.fingerprints.same(this.baseDoc, base, this.revisionDoc, revision)) {
      this.memo.set(key, PairResult.EMPTY);
      return PairResult.EMPTY;
    }
    this.active.add(locations);
    let result: PairResult;
    try {
      result = this.compareNodes(base, revision, root);
    } finally {
      this.active.delete(locations);
    }
    // Named after the revision's component: a schema inlined (or merged from an allOf) is not the component any more.
    const component = componentName(revision);
    if (component !== undefined && result.hasChanges) result = new PairResult(result.entries, component);
    this.memo.set(key, result);
    return result;
  }

  descend(em: NodeEmitter, base: SchemaNode, revision: SchemaNode, segment: string): void {
    em.include(this.pair(base, revision, false), segment);
  }

  equivalent(base: SchemaNode, revision: SchemaNode): boolean {
    return !this.pair(base, revision, false, false).hasChanges;
  }

  private compareNodes(base: SchemaNode, revision: SchemaNode, root: boolean): PairResult {
    const em = new NodeEmitter(this.settings, this.baseDoc, this.revisionDoc, base, revision, root);
    const where = { base: { file: base.file, pointer: base.pointer }, revision: { file: revision.file, pointer: revision.pointer } };
    // Made nullable by `oneOf: [{type: 'null'}, X]` (or the reverse): the nullability change, and
    // whatever changed between the plain schema and X; nothing else moved.
    const wrapped = nullableWrapPayload(base, this.revisionDoc, revision);
    if (wrapped) {
      em.node('became-nullable', { text: (s) => `${s} became nullable (wrapped in a oneOf with null)`, ...where });
      em.include(this.pair(base, wrapped, root), null);
      return new PairResult(em.entries);
    }
    const unwrapped = nullableWrapPayload(revision, this.baseDoc, base);
    if (unwrapped) {
      em.node('became-not-nullable', { text: (s) => `${s} became not nullable (no longer a oneOf with null)`, ...where });
      em.include(this.pair(unwrapped, revision, root), null);
      return new PairResult(em.entries);
    }
    const wrapping = oneOfWrapping(base, this.revisionDoc, revision);
    if (wrapping) {
      const text = (s: string): string => `${s} was wrapped in a oneOf of ${wrapping.alternatives} alternatives`;
      const body = this.settings.context === 'request-body' || this.settings.context === 'response-body';
      if (root && body) em.rootOnly('wrapped-in-one-of', { text, ...where });
      else em.node('one-of-added', { text, base: where.base, revision: changeLocation(revision, 'oneOf') });
      checkProperties(em, this, wrapping.moved);
      return new PairResult(em.entries);
    }
    const types = listOfTypesChange(this.baseDoc, base, this.revisionDoc, revision);
    if (types) {
      const narrowed = this.settings.direction === 'request' ? types.deleted.length > 0 : types.added.length === 0;
      const listed = narrowed ? types.deleted : types.added;
      em.node(narrowed ? 'list-of-types-narrowed' : 'list-of-types-widened', {
        text: (s) => `${s} list of types ${narrowed ? 'lost' : 'gained'} ${listed.join(', ')}`,
        base: changeLocation(base, 'type'),
        revision: changeLocation(revision, 'type'),
      });
    } else {
      checkType(em, (b, items) => this.equivalent(withoutType(b), withoutType(items)));
    }
    checkNullable(em);
    checkEnum(em);
    checkExtensibleEnum(em);
    checkConst(em);
    checkDefault(em);
    checkPattern(em);
    checkBounds(em);
    checkMultipleOf(em);
    checkUniqueItems(em);
    checkDiscriminator(em);
    checkDependentRequired(em);
    checkContentEncoding(em);
    checkDeprecation(em);
    checkProperties(em, this);
    checkSubschemas(em, this, types !== undefined);
    return new PairResult(em.entries);
  }
}

/**
 * Creates a comparator for one pair of documents. It memoises every pair of resolved schema
 * locations it compares (per direction and context), so operations sharing components cost one
 * comparison; given another pair of documents it starts afresh.
 */
export function createSchemaComparator(budget: DiffBudget = new DiffBudget(), options: ComparatorOptions = {}): SchemaComparator {
  const flatten = options.flatten ?? true;
  let docs: { base: OpenApiDocument; revision: OpenApiDocument } | undefined;
  let normalisers: { base: SchemaNormaliser; revision: SchemaNormaliser } | undefined;
  const memos = new Map<string, Map<string, PairResult>>();
  let fingerprints = new SchemaFingerprints();
  return {
    compare(input: SchemaComparisonInput): SchemaChange[] {
      budget.checkTime();
      if (!docs || docs.base !== input.base || docs.revision !== input.revision) {
        docs = { base: input.base, revision: input.revision };
        memos.clear();
        fingerprints = new SchemaFingerprints();
        normalisers = flatten ? { base: new SchemaNormaliser(input.base), revision: new SchemaNormaliser(input.revision) } : undefined;
      }
      const settings: WalkSettings = {
        direction: input.direction,
        context: input.context,
        stronglyTyped: isStronglyTyped(input.mediaType),
        now: input.now ?? new Date(),
      };
      if (input.parameters) settings.parameter = { base: parameterTraits(input.parameters.base), revision: parameterTraits(input.parameters.revision) };
      const signature = [settings.direction, settings.context, settings.stronglyTyped, settings.now.toISOString().slice(0, 10), JSON.stringify(settings.parameter ?? null)].join('|');
      let memo = memos.get(signature);
      if (!memo) {
        memo = new Map();
        memos.set(signature, memo);
      }
      const base = resolveNode(input.base, input.baseSchema.value, input.baseSchema.file, input.baseSchema.pointer);
      const revision = resolveNode(input.revision, input.revisionSchema.value, input.revisionSchema.file, input.revisionSchema.pointer);
      const walker = new PairWalker(settings, input.base, input.revision, memo, new Set(), fingerprints, budget, normalisers);
      const subject = rootSubject(input.context);
      return flattenResult(walker.pair(base, revision, true), () => budget.visit()).map(({ change, path, paths, component }) => {
        const message = change.text(path.length > 0 ? `property '${path.join('/')}'` : subject);
        const out: SchemaChange = {
          id: change.id,
          severity: change.severity,
          message,
          propertyPath: path,
          paths,
          componentMessage: component
            ? change.text(component.path.length > 0 ? `property '${component.path.join('/')}' of schema '${component.name}'` : `schema '${component.name}'`)
            : message,
        };
        if (change.base) out.base = { ...change.base };
        if (change.revision) out.revision = { ...change.revision };
        return out;
      });
    },
  };
}

/** Compares one pair of schemas (a one-shot comparator; use `createSchemaComparator` for many). */
export function compareSchemas(input: SchemaComparisonInput, budget?: DiffBudget): SchemaChange[] {
  return createSchemaComparator(budget).compare(input);
}
