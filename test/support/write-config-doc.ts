/** Writes docs/configuration.md from the configuration schema (`npm run docs:config`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayConfigSchema } from '../../src/config/schema.js';
import { renderConfigDoc } from '../../src/config/config-doc.js';

const target = join(import.meta.dirname, '..', '..', 'docs', 'configuration.md');
writeFileSync(target, renderConfigDoc(gatewayConfigSchema));
process.stdout.write(`wrote ${target}\n`);
