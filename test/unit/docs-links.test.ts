/** The README, docs/ and the example configuration point only at files that exist; the configuration reference is current. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gatewayConfigSchema } from '../../src/config/schema.js';
import { renderConfigDoc } from '../../src/config/config-doc.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MARKDOWN = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** Relative link targets of a Markdown text (inline links and images), without their #fragment. */
function relativeLinks(markdown: string): string[] {
  // Fenced code is an example, not a link.
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const targets = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => decodeURIComponent(t.split('#')[0]!));
}

/** Repository paths named in the YAML comments of a configuration file (anything with a folder and an extension). */
function commentPaths(yaml: string): string[] {
  const comments = yaml.split('\n').map((line) => /(?:^|\s)#(.*)$/.exec(line)?.[1] ?? '').join('\n');
  return [...comments.matchAll(/(?:^|[\s(`'"])((?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)+\.(?:ts|md|ya?ml|json))\b/g)].map((m) => m[1]!);
}

describe('documentation links', () => {
  for (const file of MARKDOWN) {
    it(`every relative link in ${file} points at an existing file`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const missing = relativeLinks(text).filter((target) => !existsSync(join(ROOT, dirname(file), target)));
      assert.deepEqual(missing, []);
    });
  }

  it('every path named in the comments of policies/gateway.yaml exists', () => {
    const file = join(ROOT, 'policies', 'gateway.yaml');
    const paths = commentPaths(readFileSync(file, 'utf8'));
    assert.ok(paths.length > 0, 'the example configuration names where its schema and reference are');
    const missing = paths.filter((p) => !existsSync(join(ROOT, p)) && !existsSync(join(dirname(file), p)));
    assert.deepEqual(missing, [], `named in ${relative(ROOT, file)}`);
  });

  it('the link finder sees inline links and skips URLs, anchors and code', () => {
    const sample = '[a](docs/a.md) ![i](img/x.png "t") [b](https://x.y/z) [c](#top) [d](docs/d.md#part)\n```\n[e](nowhere.md)\n```\n';
    assert.deepEqual(relativeLinks(sample), ['docs/a.md', 'img/x.png', 'docs/d.md']);
    assert.deepEqual(commentPaths('a: 1 # see src/config/schema.ts and docs/x.md.\n# and .accord/ here\nb: "x#y"'), ['src/config/schema.ts', 'docs/x.md']);
  });
});

describe('configuration reference', () => {
  it('docs/configuration.md is current (run `npm run docs:config` after changing the schema)', () => {
    assert.equal(readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8'), renderConfigDoc(gatewayConfigSchema));
  });
});
