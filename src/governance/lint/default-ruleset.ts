/** Finds the bundled default ruleset from wherever this module runs: src/ under tsx, dist/, or an installed package. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root is the nearest directory above this module holding a package.json: the
 * repository when running from src/ or dist/, `node_modules/accord-gateway` when installed.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Absolute path of `rulesets/accord.yaml` in this package. */
export function defaultRulesetPath(): string {
  return join(packageRoot(), 'rulesets', 'accord.yaml');
}

/** Absolute path of `rulesets/accord-default.js`, the default ruleset as a module (generated from accord.yaml). */
export function defaultRulesetModulePath(): string {
  return join(packageRoot(), 'rulesets', 'accord-default.js');
}
