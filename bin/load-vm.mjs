// Loads the VM bundle (dist/som.cjs, written by build.mjs) with its V8 code cache.
//
// Start-up is part of every `som` run, and a good part of it is V8 compiling the bundle's
// functions as they are first called (the parser, the compiler, the interpreter). The code
// cache (dist/som.cjs.codecache, written by bin/make-caches.mjs at build time after a
// training run) holds those functions compiled, so V8 deserializes them instead. The bundle is
// run as a classic script through node:vm because that is where Node 20 accepts a code cache.
//
// A cache never outlives its bundle: the bundle's first line names its build (a hash of its
// text), and the cache starts with the same name, else it is ignored. V8 rejects a cache made
// by another V8 version or with other V8 flags by itself (then it simply compiles).
import { createRequire } from 'node:module';

// Built-in modules through require: an ESM import of node:fs makes its ESM facade read every
// export, and fs.ReadStream loads all of node:stream, a noticeable part of start-up.
const require = createRequire(import.meta.url);
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { Script } = require('node:vm');
const { fileURLToPath } = require('node:url');

export const BUNDLE = fileURLToPath(new URL('../dist/som.cjs', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.codecache`;
/** The parsed standard library (runtime/startup/parsed-classes.ts). */
export const STORED_CLASSES = fileURLToPath(new URL('../dist/library.parsed', import.meta.url));
/** The bundle's first line is `BUILD_PREFIX` followed by its build id. */
export const BUILD_PREFIX = '//som-build:';

// Same line as the bundle's first, so positions in stack traces stay right.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/** The build id named on the bundle's first line. */
function buildId(source) {
  const end = source.indexOf('\n');
  return source.startsWith(BUILD_PREFIX) && end > 0 ? source.slice(BUILD_PREFIX.length, end) : '';
}

/** The code cache for the build `id`, or undefined if there is none for it. */
function readCodeCache(id) {
  let data;
  try {
    data = readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
  const header = Buffer.from(`${id}\n`);
  return id !== '' && data.subarray(0, header.length).equals(header) ? data.subarray(header.length) : undefined;
}

/**
 * Loads and runs the bundle in this thread; answers its exports, the compiled script and the
 * build id. Without `useCodeCache` it compiles from scratch (to train a new cache).
 */
export function loadVm({ useCodeCache = true } = {}) {
  if (!existsSync(BUNDLE)) {
    process.stderr.write('som: the VM is not built yet; run `npm run build` first\n');
    process.exit(2);
  }
  const source = readFileSync(BUNDLE, 'utf8');
  const cachedData = useCodeCache ? readCodeCache(buildId(source)) : undefined;
  const script = new Script(`${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { vm: module.exports, script, id: buildId(source) };
}

/** How the bundle is told where it came from (bin/som-main.ts, Launch). */
export function launchOf(id) {
  return { workerEntry: new URL('./som-worker.mjs', import.meta.url), build: id, storedClasses: STORED_CLASSES };
}

/** Writes the code cache of `script` (compiled from the build `id`) next to the bundle. */
export function writeCodeCache(script, id) {
  writeFileSync(CODE_CACHE, Buffer.concat([Buffer.from(`${id}\n`), script.createCachedData()]));
}
