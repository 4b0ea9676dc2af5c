/** What the keyword modules need from the walker: descend into a pair of sub-schemas, and test two schemas for equivalence. */
import type { NodeEmitter } from './node-emitter.js';
import type { SchemaNode } from './schema-node.js';

/** The walker, as seen from one node pair. */
export interface Walk {
  /** Compares a pair of sub-schemas and adds their changes to `em`, under `segment`. */
  descend(em: NodeEmitter, base: SchemaNode, revision: SchemaNode, segment: string): void;
  /** True when two schemas (base side, revision side) constrain values the same way. */
  equivalent(base: SchemaNode, revision: SchemaNode): boolean;
}
