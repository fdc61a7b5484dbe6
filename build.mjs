// The build step (npm run build):
//  1. the transformer (transformer/, a Babel plugin) reads the interpreter with its directives
//     and writes the generated compilers to generated/ (formatted, deterministic);
//  2. esbuild bundles the VM into dist/som.mjs, the program behind bin/som.mjs. On the way,
//     interpreter sources get their directives lowered for the plain interpreter.
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

const root = dirname(fileURLToPath(import.meta.url));
const tierManager = resolve(root, 'runtime/tier-manager.ts');

/** Bundles the transformer (TypeScript) and imports it. */
async function loadTransformer() {
  mkdirSync(resolve(root, 'dist/build'), { recursive: true });
  const outfile = resolve(root, 'dist/build/transformer.mjs');
  await build({
    entryPoints: [resolve(root, 'transformer/build.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

async function generate(transformer) {
  let result;
  try {
    result = transformer.generateCompilers({ root, opcodes: transformer.OPCODE_SHAPES });
  } catch (e) {
    if (e instanceof transformer.TransformError) {
      console.error(`transformer: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const config = (await prettier.resolveConfig(resolve(root, 'build.mjs'))) ?? {};
  for (const file of result.files) {
    const parser = file.path.endsWith('.d.ts') ? 'typescript' : 'babel';
    const text = await prettier.format(file.code, { ...config, parser });
    await mkdir(resolve(root, dirname(file.path)), { recursive: true });
    await writeFile(resolve(root, file.path), text);
  }
  console.log(
    `transformer: ${result.files.map((f) => f.path).join(', ')} (${result.handlerCount} handlers, ${result.isJittedSites} isJitted sites)`,
  );
}

const eraseDirectivesPlugin = (transformer) => ({
  name: 'lower-jit-directives',
  setup(b) {
    b.onLoad({ filter: /[\\/]interpreter[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: transformer.eraseDirectives(source, args.path, { tierManager }), loader: 'ts' };
    });
  },
});

const transformer = await loadTransformer();
await generate(transformer);
await build({
  entryPoints: [resolve(root, 'bin/som-main.ts')],
  outfile: resolve(root, 'dist/som.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [eraseDirectivesPlugin(transformer)],
  // commander is CommonJS; give the ESM bundle a require for it.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
