// The build step (npm run build):
//  1. the transformer (transformer/, a Babel plugin) reads the interpreter with its directives
//     and writes the generated compilers to generated/ (formatted, deterministic);
//  2. esbuild bundles the VM into dist/som.cjs, the program behind bin/som.mjs. On the way,
//     interpreter sources get their directives lowered for the plain interpreter. The bundle's
//     first line names its build (a hash of its text);
//  3. the start-up caches for that build: the parsed standard library, dist/library.parsed,
//     and the bundle's V8 code cache, dist/som.cjs.codecache (bin/make-caches.mjs).
import { build } from 'esbuild';
import { readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

const root = dirname(fileURLToPath(import.meta.url));
const tierHooks = resolve(root, 'interpreter/tier-hooks.ts');

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
    `transformer: ${result.files.map((f) => f.path).join(', ')} (the dispatch loop calls ${result.handlerCount} functions and reaches ${result.traced.functions.size}; ${result.isJittedSites} isJitted sites)`,
  );
}

const eraseDirectivesPlugin = (transformer) => ({
  name: 'lower-jit-directives',
  setup(b) {
    b.onLoad({ filter: /[\\/]interpreter[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: transformer.eraseDirectives(source, args.path, { tierHooks }), loader: 'ts' };
    });
  },
});

/**
 * commander requires node:child_process at load time, only to run executable subcommands,
 * which `som` has none of; loading it (and the stream modules it pulls in) is a noticeable part
 * of start-up. Inside commander it becomes a stand-in that loads it on first use.
 */
const lazyChildProcessPlugin = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents:
        "let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

/** A placeholder as long as the build id, replaced by the id once the text is known. */
const BUILD_ID_LENGTH = 16;
const BUILD_PREFIX = '//som-build:';

/** Bundles the VM (a script for node:vm, see bin/load-vm.mjs) and names the build in line 1. */
async function bundleVm(transformer) {
  const outfile = resolve(root, 'dist/som.cjs');
  const placeholder = BUILD_PREFIX + '0'.repeat(BUILD_ID_LENGTH);
  const result = await build({
    entryPoints: [resolve(root, 'bin/som-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    plugins: [eraseDirectivesPlugin(transformer), lazyChildProcessPlugin],
    // import() becomes require(): node:vm runs the bundle without an ESM loader.
    supported: { 'dynamic-import': false },
    banner: { js: placeholder },
    // Less text to read at every start; names are kept, so VM stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    logLevel: 'warning',
  });
  await rm(resolve(root, 'dist/som.mjs'), { force: true }); // the bundle of earlier builds
  await rm(resolve(root, 'dist/som.mjs.map'), { force: true });
  await rm(`${outfile}.codecache`, { force: true }); // the caches of the bundle it replaces
  await rm(resolve(root, 'dist/library.parsed'), { force: true });
  for (const file of result.outputFiles) {
    let text = file.text;
    if (file.path === outfile) {
      const id = createHash('sha256').update(text).digest('hex').slice(0, BUILD_ID_LENGTH);
      if (!text.startsWith(placeholder)) throw new Error('build: the bundle does not start with its build line');
      text = BUILD_PREFIX + id + text.slice(placeholder.length);
    }
    await writeFile(file.path, text);
  }
}

const transformer = await loadTransformer();
await generate(transformer);
await bundleVm(transformer);
execFileSync(process.execPath, [resolve(root, 'bin/make-caches.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
