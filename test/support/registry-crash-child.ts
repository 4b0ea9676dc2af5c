/**
 * Child process of the registry crash test: registers one version in a file store and kills
 * itself with SIGKILL at the Nth step of the write (argv: registry dir, N, version).
 */
import { FileRegistryStore } from '../../src/registry/store/file-store.js';

const [dir, killAtText, version] = process.argv.slice(2) as [string, string, string];
const killAt = Number(killAtText);
let step = 0;
const store = new FileRegistryStore(dir, {
  checkpoint: (point) => {
    step++;
    process.stdout.write(`${step} ${point}\n`);
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  },
});
const at = '2026-12-01T00:00:00.000Z';
await store.put(
  { api: 'orders', version, status: 'published', digest: `sha256:${'ab'.repeat(16)}${version.replace(/\./g, '')}`, format: 'yaml', publishedAt: at },
  `openapi: 3.1.0 # document of ${version}\n`,
  { at, actor: { provider: 'dev', subject: 'crash' }, action: 'register', api: 'orders', version },
);
process.stdout.write('done\n');
