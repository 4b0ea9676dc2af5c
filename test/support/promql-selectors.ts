/**
 * What a PromQL expression reads, found with Prometheus's own grammar (@prometheus-io/lezer-promql):
 * each series selector with its metric name and label matchers, and the labels the aggregations
 * around it group by (which the selected series must carry too).
 */
import { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** One label matcher of a selector. */
export interface LabelMatch {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** One series selector of an expression. */
export interface Selector {
  metric: string;
  matchers: LabelMatch[];
  /** Labels of enclosing `by (...)` clauses: the series must have them for the grouping to mean anything. */
  groupedBy: string[];
}

/** An expression's parse: the syntax errors (offsets) and its selectors. */
export interface ParsedQuery {
  errors: Array<{ from: number; to: number; text: string }>;
  selectors: Selector[];
}

const OPS: Record<string, LabelMatch['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  if (literal.startsWith("'")) return JSON.parse(`"${literal.slice(1, -1).replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(literal) as string;
}

/** Parses one PromQL expression. */
export function parseQuery(expr: string): ParsedQuery {
  const tree = parser.parse(expr);
  const errors: ParsedQuery['errors'] = [];
  const selectors: Selector[] = [];
  const text = (node: SyntaxNode): string => expr.slice(node.from, node.to);
  const visit = (node: SyntaxNode, groupedBy: readonly string[]): void => {
    if (node.type.isError) errors.push({ from: node.from, to: node.to, text: text(node) });
    if (node.name === 'VectorSelector') {
      const parts = children(node);
      const metric = parts.find((c) => c.name === 'Identifier');
      const matchers: LabelMatch[] = [];
      for (const list of parts.filter((c) => c.name === 'LabelMatchers')) {
        for (const m of children(list)) {
          if (m.name !== 'UnquotedLabelMatcher') continue;
          const name = children(m).find((c) => c.name === 'LabelName');
          const op = children(m).find((c) => c.name === 'MatchOp')?.firstChild;
          const value = children(m).find((c) => c.name === 'StringLiteral');
          if (!name || !op || !value) continue;
          matchers.push({ name: text(name), op: OPS[op.name]!, value: unquote(text(value)) });
        }
      }
      selectors.push({ metric: metric ? text(metric) : '', matchers, groupedBy: [...groupedBy] });
    }
    let inner = groupedBy;
    if (node.name === 'AggregateExpr') {
      const modifier = children(node).find((c) => c.name === 'AggregateModifier');
      if (modifier && modifier.firstChild?.name === 'By') {
        const labels = children(modifier).find((c) => c.name === 'GroupingLabels');
        if (labels) inner = [...groupedBy, ...children(labels).filter((c) => c.name === 'LabelName').map(text)];
      }
    }
    for (const child of children(node)) visit(child, inner);
  };
  visit(tree.topNode, []);
  return { errors, selectors };
}
