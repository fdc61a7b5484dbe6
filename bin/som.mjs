#!/usr/bin/env node
// The `som` command. The VM is bundled by `npm run build` (build.mjs) into dist/som.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/som.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('som: the VM is not built yet; run `npm run build` first\n');
  process.exit(2);
}
await import(bundle.href);
