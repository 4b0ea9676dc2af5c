/** Types the text values of form bodies (urlencoded and multipart) per the operation's schema before the mock's validator checks them, as the gateway types them. */
import type { NextFunction, Request, Response } from 'express';
import type { OpenApiRequest } from 'express-openapi-validator/dist/framework/types.js';
import { isObject, type JsonObject } from '../contracts/openapi-document.js';
import { escapeToken, fromPointer, getAt } from '../contracts/json-pointer.js';
import { coerceScalar, nestedShapeOf, type NestedShape, type RefFollower } from '../contracts/compile/value-shape.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The shape of each operation's form body, keyed `METHOD /path/{template}`, read once from the
 * bundled document (whose `$ref`s all point inside it).
 */
export function formShapesOf(document: JsonObject, is30: boolean): Map<string, NestedShape> {
  const follow: RefFollower = (ref, file) => {
    const pointer = ref.startsWith('#') ? ref.slice(1) : '';
    return { value: getAt(document, fromPointer(pointer)), file, pointer };
  };
  const shapes = new Map<string, NestedShape>();
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      let body = operation.requestBody;
      if (isObject(body) && typeof body.$ref === 'string') body = follow(body.$ref, '', '').value;
      if (!isObject(body) || !isObject(body.content)) continue;
      for (const type of FORM_TYPES) {
        const media = body.content[type];
        if (!isObject(media) || media.schema === undefined) continue;
        const pointer = `/paths/${escapeToken(path)}/${method}/requestBody/content/${escapeToken(type)}/schema`;
        shapes.set(`${method.toUpperCase()} ${path}`, nestedShapeOf({ value: media.schema, file: '', pointer }, follow, { coerce: true, is30 }));
        break;
      }
    }
  }
  return shapes;
}

/**
 * A middleware for the mock, run after the validator has matched the route and before it checks
 * the request: form bodies arrive as text (qs or multer), and their values are typed per the schema
 * (a number only from its plain text, a boolean from `true`/`false`; a lone value of an array field
 * becomes a one-item array; an object part of multipart is parsed as JSON). JSON bodies are left
 * alone, so their types are checked as sent.
 */
export function typeFormBodies(shapes: ReadonlyMap<string, NestedShape>): (req: Request, res: Response, next: NextFunction) => void {
  return (req, _res, next) => {
    const route = (req as OpenApiRequest).openapi?.openApiRoute;
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    if (route !== undefined && isObject(req.body) && FORM_TYPES.some((type) => contentType.startsWith(type))) {
      const shape = shapes.get(`${req.method} ${route}`);
      if (shape) req.body = typeValue(req.body, shape);
    }
    next();
  };
}

function typeValue(value: unknown, shape: NestedShape): unknown {
  if (typeof value === 'string') {
    if (shape.kind === 'array') return [typeValue(value, shape.items)];
    if (shape.kind === 'object' && (value.startsWith('{') || value.startsWith('['))) {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }
    return coerceScalar(value, shape.types);
  }
  if (Array.isArray(value)) return shape.kind === 'array' ? value.map((item) => typeValue(item, shape.items)) : value;
  if (isObject(value) && shape.kind === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const typed = typeValue(member, shape.properties.get(key) ?? shape.additional);
      if (key === '__proto__') Object.defineProperty(out, key, { value: typed, enumerable: true, writable: true, configurable: true });
      else out[key] = typed;
    }
    return out;
  }
  return value;
}
