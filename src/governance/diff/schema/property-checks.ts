/**
 * Compares the properties of an object node pair: properties added, removed, made required or
 * optional, turned readOnly/writeOnly, and the properties on both sides compared in turn.
 */
import type { NodeEmitter } from './node-emitter.js';
import { changeLocation, childNode, keywordLocation, propertyNames, requiredNames, type NodeLocation, type SchemaNode } from './schema-node.js';
import type { Walk } from './walk.js';

function flag(node: SchemaNode, keyword: 'readOnly' | 'writeOnly'): boolean {
  return node.value[keyword] === true;
}

function propertiesLocation(node: SchemaNode): NodeLocation {
  return changeLocation(node, 'properties');
}

function requiredLocation(node: SchemaNode, name: string): NodeLocation {
  const list = node.value.required;
  const index = Array.isArray(list) ? list.indexOf(name) : -1;
  return index >= 0 ? keywordLocation(node, 'required', index) : changeLocation(node, 'required');
}

function addedProperty(em: NodeEmitter, name: string, prop: SchemaNode, required: boolean): void {
  const path = [name];
  const where = { base: propertiesLocation(em.base), revision: { file: prop.file, pointer: prop.pointer }, path };
  if (em.settings.direction === 'request') {
    // A readOnly property is never sent: adding one asks nothing of clients.
    if (em.settings.context === 'request-body' && flag(prop, 'readOnly')) return;
    if (!required) em.member('new-optional-property', { text: (s) => `${s} was added (optional)`, ...where });
    else if (prop.value.default !== undefined) em.member('new-required-property-with-default', { text: (s) => `${s} was added as required (it has a default value)`, ...where });
    else em.member('new-required-property', { text: (s) => `${s} was added as required`, ...where });
    return;
  }
  const kind = required ? 'required' : 'optional';
  if (flag(prop, 'writeOnly') && em.settings.context === 'response-body') em.member(`${kind}-write-only-property-added`, { text: (s) => `${s} was added (${kind}, writeOnly)`, ...where });
  else em.member(`${kind}-property-added`, { text: (s) => `${s} was added (${kind})`, ...where });
}

function removedProperty(em: NodeEmitter, name: string, prop: SchemaNode, required: boolean): void {
  const where = { base: { file: prop.file, pointer: prop.pointer }, revision: propertiesLocation(em.revision), path: [name] };
  if (em.settings.direction === 'request') {
    if (em.settings.context === 'request-body' && flag(prop, 'readOnly')) return;
    em.member('property-removed', { text: (s) => `${s} was removed`, ...where });
    return;
  }
  const kind = required ? 'required' : 'optional';
  if (flag(prop, 'writeOnly') && em.settings.context === 'response-body') em.member(`${kind}-write-only-property-removed`, { text: (s) => `${s} was removed (${kind}, writeOnly)`, ...where });
  else em.member(`${kind}-property-removed`, { text: (s) => `${s} was removed (it was ${kind})`, ...where });
}

function requiredChange(em: NodeEmitter, name: string, before: SchemaNode, after: SchemaNode, nowRequired: boolean): void {
  const where = { base: requiredLocation(em.base, name), revision: requiredLocation(em.revision, name), path: [name] };
  const bodyContext = em.settings.context === 'request-body' || em.settings.context === 'response-body';
  if (em.settings.direction === 'request') {
    // A required readOnly property does not burden a request.
    if (bodyContext && flag(after, 'readOnly')) return;
    if (!nowRequired) em.member('became-optional', { text: (s) => `${s} became optional`, ...where });
    else if (after.value.default !== undefined) em.member('became-required-with-default', { text: (s) => `${s} became required (it has a default value)`, ...where });
    else em.member('became-required', { text: (s) => `${s} became required`, ...where });
    return;
  }
  const writeOnly = bodyContext && (flag(before, 'writeOnly') || flag(after, 'writeOnly'));
  const change = nowRequired ? 'became-required' : 'became-optional';
  if (writeOnly) em.member(`write-only-property-${change}`, { text: (s) => `${s} ${change.replace('-', ' ')} (writeOnly)`, ...where });
  else em.member(change, { text: (s) => `${s} ${change.replace('-', ' ')}`, ...where });
}

function accessChange(em: NodeEmitter, name: string, before: SchemaNode, after: SchemaNode, wasRequired: boolean): void {
  if (em.settings.context !== 'request-body' && em.settings.context !== 'response-body') return;
  const kind = wasRequired ? 'required' : 'optional';
  for (const keyword of ['readOnly', 'writeOnly'] as const) {
    const from = flag(before, keyword);
    const to = flag(after, keyword);
    if (from === to) continue;
    const word = keyword === 'readOnly' ? 'read-only' : 'write-only';
    em.member(`${kind}-property-became-${to ? word : `not-${word}`}`, {
      text: (s) => `${s} (${kind}) ${to ? 'became' : 'is no longer'} ${keyword}`,
      base: changeLocation(before, keyword),
      revision: changeLocation(after, keyword),
      path: [name],
    });
  }
}

/**
 * Properties of an object. `moved` names base properties that a oneOf wrapping carried into its
 * alternatives: they are not reported as removed.
 */
export function checkProperties(em: NodeEmitter, walk: Walk, moved: ReadonlySet<string> = new Set()): void {
  const before = propertyNames(em.base);
  const after = propertyNames(em.revision);
  if (before.length === 0 && after.length === 0) return;
  const requiredBefore = requiredNames(em.base);
  const requiredAfter = requiredNames(em.revision);
  const afterSet = new Set(after);
  for (const name of before) {
    const b = childNode(em.baseDoc, em.base, 'properties', name);
    if (!b) continue;
    if (!afterSet.has(name)) {
      if (!moved.has(name)) removedProperty(em, name, b, requiredBefore.has(name));
      continue;
    }
    const r = childNode(em.revisionDoc, em.revision, 'properties', name);
    if (!r) continue;
    walk.descend(em, b, r, name);
    if (requiredBefore.has(name) !== requiredAfter.has(name)) requiredChange(em, name, b, r, requiredAfter.has(name));
    accessChange(em, name, b, r, requiredBefore.has(name));
  }
  const beforeSet = new Set(before);
  for (const name of after) {
    if (beforeSet.has(name)) continue;
    const r = childNode(em.revisionDoc, em.revision, 'properties', name);
    if (r) addedProperty(em, name, r, requiredAfter.has(name));
  }
}
