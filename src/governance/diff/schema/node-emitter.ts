/** Turns a kind of change found at a pair of schema nodes into a check ID for where the nodes sit. */
import type { OpenApiDocument } from '../../../contracts/openapi-document.js';
import type { Severity } from '../../findings.js';
import { schemaCheck, type SchemaLevel } from './catalogue.js';
import type { PairResult, ResultEntry } from './pair-result.js';
import type { NodeLocation, SchemaNode } from './schema-node.js';

/** Where the compared schemas sit; it picks the ID prefix. */
export type SchemaContext = 'request-body' | 'request-parameter' | 'request-header' | 'response-body' | 'response-header';

/** A change relative to the node pair it was found at (the walker prefixes the path on the way up). */
export interface NodeChange {
  id: string;
  severity: Severity;
  path: readonly string[];
  /** The message, given what to call the changed schema (`property 'a/b'`, `request body`). */
  text: (subject: string) => string;
  base?: NodeLocation;
  revision?: NodeLocation;
}

/** How a parameter is declared, for the checks that depend on it. */
export interface ParameterTraits {
  in: string;
  required: boolean;
  style: string;
  explode: boolean;
}

/** What every node of one comparison shares. */
export interface WalkSettings {
  direction: 'request' | 'response';
  context: SchemaContext;
  /** JSON-like media types: a number is not a string there. */
  stronglyTyped: boolean;
  now: Date;
  /** The parameter whose schema is compared, in each version, when known. */
  parameter?: { base: ParameterTraits; revision: ParameterTraits };
}

/** A change to report, before its level is known. */
export interface ChangeSpec {
  text: (subject: string) => string;
  base?: NodeLocation;
  revision?: NodeLocation;
  /** Path below the node (a property name for member changes). */
  path?: readonly string[];
}

function nodeLevels(context: SchemaContext, root: boolean): SchemaLevel[] {
  switch (context) {
    case 'request-body':
      return [root ? 'request-body' : 'request-property'];
    case 'request-parameter':
      return [root ? 'request-parameter' : 'request-parameter-property'];
    case 'request-header':
      return root ? ['request-parameter'] : ['request-header-property', 'request-parameter-property'];
    case 'response-body':
      return [root ? 'response-body' : 'response-property'];
    case 'response-header':
      return ['response-header'];
  }
}

function memberLevels(context: SchemaContext): SchemaLevel[] {
  switch (context) {
    case 'request-body':
      return ['request-property'];
    case 'request-parameter':
      return ['request-parameter-property'];
    case 'request-header':
      return ['request-header-property', 'request-parameter-property'];
    case 'response-body':
      return ['response-property'];
    case 'response-header':
      return ['response-header-property'];
  }
}

/** Request checks oasdiff does not run on a readOnly property: its type, and bounds newly set on it. */
const READ_ONLY_SKIPPED = /^(type-|list-of-types-|max-set$|exclusive-max-set$|min-set$|exclusive-min-set$|min-items-increased$|x-extensible-enum-value-removed$)/;

/** One node pair being compared: both nodes, their documents, and the changes found so far. */
export class NodeEmitter {
  /** What was found so far: the node pair's own changes and its children's results, in walk order. */
  readonly entries: ResultEntry[] = [];

  constructor(
    readonly settings: WalkSettings,
    readonly baseDoc: OpenApiDocument,
    readonly revisionDoc: OpenApiDocument,
    readonly base: SchemaNode,
    readonly revision: SchemaNode,
    readonly root: boolean,
  ) {}

  /** A property that clients never send (readOnly in a request body) or never receive (writeOnly in a response). */
  get isExempt(): boolean {
    if (this.root) return false;
    if (this.settings.context === 'request-body') return this.revision.value.readOnly === true;
    if (this.settings.context === 'response-body') return this.revision.value.writeOnly === true;
    return false;
  }

  /**
   * Reports a change of the node itself. On an exempt property (see `isExempt`) the change becomes
   * its read-only/write-only variant where oasdiff has one; a few request checks that oasdiff skips
   * for readOnly properties are dropped; the rest are reported as usual (clients may still send a
   * readOnly value back, and a validating server would judge it).
   */
  node(family: string, spec: ChangeSpec): void {
    if (this.isExempt) {
      const variant = this.settings.direction === 'request' ? `read-only-property-${family}` : `write-only-property-${family}`;
      if (this.emit(variant, memberLevels(this.settings.context), spec)) return;
      if (this.settings.direction === 'request' && READ_ONLY_SKIPPED.test(family)) return;
    }
    this.emit(family, nodeLevels(this.settings.context, this.root), spec);
  }

  /** Reports a change about one property of this object node (required, added, removed, lifecycle). */
  member(family: string, spec: ChangeSpec): void {
    this.emit(family, memberLevels(this.settings.context), spec);
  }

  /** Adds a child pair's result under a path segment (`null`: the same node, seen another way). */
  include(child: PairResult, segment: string | null): void {
    if (child.hasChanges) this.entries.push({ segment, child });
  }

  /** Reports a change only a body's top level has. */
  rootOnly(family: string, spec: ChangeSpec): void {
    const level: SchemaLevel | undefined = this.settings.context === 'request-body' ? 'request-body' : this.settings.context === 'response-body' ? 'response-body' : undefined;
    if (level) this.emit(family, [level], spec);
  }

  private find(family: string, levels: readonly SchemaLevel[]): { id: string; severity: Severity } | undefined {
    for (const level of levels) {
      const check = schemaCheck(family, level);
      if (check) return check;
    }
    return undefined;
  }

  private emit(family: string, levels: readonly SchemaLevel[], spec: ChangeSpec): boolean {
    const check = this.find(family, levels);
    if (!check) return false;
    this.entries.push({ change: { id: check.id, severity: check.severity, path: spec.path ?? [], text: spec.text, base: spec.base, revision: spec.revision } });
    return true;
  }
}

/** Renders a schema value for a message: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value) ?? 'undefined';
}
