/** A valid contract whose `$ref` graph is `width` properties wide and `depth` levels deep, with the leaf's type as given. */

/** The document as a plain object: `GET /x` returns and `POST /x` takes `L0`; `L{n}` has `width` properties all referencing `L{n+1}`. */
export function refGraphContract(depth: number, width: number, leafType: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (let level = 0; level < depth; level++) {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) properties[`p${i}`] = { $ref: `#/components/schemas/L${level + 1}` };
    schemas[`L${level}`] = { type: 'object', properties };
  }
  schemas[`L${depth}`] = { type: leafType };
  const body = { content: { 'application/json': { schema: { $ref: '#/components/schemas/L0' } } } };
  return {
    openapi: '3.0.3',
    info: { title: 'graph', version: '1.0.0' },
    paths: {
      '/x': {
        get: { responses: { '200': { description: 'ok', ...body } } },
        post: { requestBody: body, responses: { '204': { description: 'done' } } },
      },
    },
    components: { schemas },
  };
}
