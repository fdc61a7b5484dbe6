// The build step: bundles the VM with esbuild into dist/som.mjs, the program behind
// bin/som.mjs. Interpreter sources pass through the transformer's directive eraser on the
// way (transformer/erase-directives.ts): the plain interpreter runs without the jit.ts calls.
// The compiler generators (generated/) join this step with the next issues (see DESIGN.md).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Bundles a TypeScript build-time module and imports it. */
async function importBuildModule(entry, outfile) {
  mkdirSync('dist/build', { recursive: true });
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

const { eraseDirectives } = await importBuildModule('transformer/erase-directives.ts', 'dist/build/erase-directives.mjs');

/** esbuild plugin: erase directives in the interpreter's TypeScript sources. */
const eraseDirectivesPlugin = {
  name: 'erase-jit-directives',
  setup(b) {
    b.onLoad({ filter: /[\\/]interpreter[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: eraseDirectives(source, args.path), loader: 'ts' };
    });
  },
};

await build({
  entryPoints: ['bin/som-main.ts'],
  outfile: 'dist/som.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [eraseDirectivesPlugin],
  // commander is CommonJS; give the ESM bundle a require for it.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
