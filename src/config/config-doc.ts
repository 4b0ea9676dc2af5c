/** Renders docs/configuration.md from the configuration's JSON Schema, so the reference cannot drift from what is validated. */

/** The parts of a JSON Schema node the reference shows. */
interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  required?: readonly string[];
  properties?: Readonly<Record<string, SchemaNode>>;
  items?: SchemaNode;
}

interface Row {
  field: string;
  type: string;
  required: boolean;
  defaultValue: string;
  meaning: string;
}

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.type === 'array') return `array of ${node.items ? typeOf(node.items) : 'any'}`;
  return node.type ?? 'any';
}

function constraints(node: SchemaNode): string {
  const parts: string[] = [];
  if (node.minimum !== undefined && node.maximum !== undefined) parts.push(`${node.minimum}–${node.maximum}`);
  else if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  else if (node.maximum !== undefined) parts.push(`≤ ${node.maximum}`);
  if (node.minItems !== undefined) parts.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  if (node.pattern !== undefined) parts.push(`pattern \`${node.pattern.replace(/\|/g, '\\|')}\``);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function walk(node: SchemaNode, path: string, required: boolean, rows: Row[]): void {
  if (path !== '') {
    rows.push({
      field: path,
      type: typeOf(node),
      required,
      defaultValue: node.default === undefined ? '' : `\`${JSON.stringify(node.default)}\``,
      meaning: `${cell(node.description ?? '')}${constraints(node)}`,
    });
  }
  const objectNode = node.type === 'array' && node.items ? node.items : node;
  const prefix = node.type === 'array' ? `${path}[]` : path;
  for (const [name, child] of Object.entries(objectNode.properties ?? {})) {
    walk(child, prefix === '' ? name : `${prefix}.${name}`, objectNode.required?.includes(name) ?? false, rows);
  }
}

/** The whole reference page for `schema` (the gateway configuration schema). */
export function renderConfigDoc(schema: SchemaNode): string {
  const rows: Row[] = [];
  walk(schema, '', true, rows);
  const lines = [
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`; do not edit by hand (a test checks it is current). -->',
    '# Gateway configuration reference',
    '',
    'Every field of `policies/gateway.yaml`, as the schema in `src/config/schema.ts` validates it. A',
    'configuration error names the file, the JSON pointer and the line; `accord config validate`',
    'checks a configuration without serving. Checks beyond the schema, made at load: identity',
    'provider and API ids are unique, base paths do not overlap, every `auth.providers` entry names a',
    'provider, every served version has a contract file and an upstream, upstream URLs are complete',
    '(`http` or `https`, a host, a port from 1 to 65535; no credentials, query or fragment), and',
    '`listen.headersTimeoutMs` is at most `listen.requestTimeoutMs`.',
    '',
    '| field | type | required | default | meaning |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| \`${r.field}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${r.defaultValue} | ${r.meaning} |`),
    '',
  ];
  return lines.join('\n');
}
