/** The output formats of `lint`, `diff` and `check`, and the one function that renders a report in any of them. */
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { RenderOptions, Report } from './report.js';

export type { Report, RuleMeta, RenderOptions } from './report.js';

/** Every `--format` value, the default first. */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'markdown'] as const;

/** One `--format` value. */
export type Format = (typeof FORMATS)[number];

const RENDERERS: Record<Format, (report: Report, options: RenderOptions) => string> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  github: renderGithub,
  markdown: renderMarkdown,
};

/** True when `value` names a format (for validating `--format`). */
export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * Whether to colour output written to `stream`: only a terminal, and never when `NO_COLOR` is set
 * (https://no-color.org: any non-empty value).
 */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/**
 * Renders a report in one format. `color` defaults to what stdout supports, `cwd` (the directory
 * paths are shown relative to) to the process's working directory. Returns the whole output,
 * ending in a newline.
 */
export function renderFindings(report: Report, format: Format, options: Partial<RenderOptions> = {}): string {
  const render = RENDERERS[format];
  if (!render) throw new TypeError(`unknown format: ${String(format)}`);
  return render(report, { color: options.color ?? colorFor(process.stdout), cwd: options.cwd ?? process.cwd() });
}
