// The build step. Today it bundles the VM with esbuild into dist/som.mjs, the program behind
// bin/som.mjs. The transformer step (generated/ from the interpreter's directives) comes first
// once the compilers exist (see DESIGN.md).
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/som-main.ts'],
  outfile: 'dist/som.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // commander is CommonJS; give the ESM bundle a require for it.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
