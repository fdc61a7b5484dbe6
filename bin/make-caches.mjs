// Build step (build.mjs): writes the start-up caches for the bundle just built, in a fresh
// process with no V8 flags, as `som` itself runs (a code cache made under other flags would be
// rejected):
//  1. the parsed standard library (runtime/startup/parsed-classes.ts);
//  2. the bundle's V8 code cache (bin/load-vm.mjs), after a training run of
//     examples/Hello.som on the main thread, as `som` would run it, so that every function
//     that start-up calls has been compiled.
import { fileURLToPath } from 'node:url';
import { launchOf, loadVm, STORED_CLASSES, writeCodeCache } from './load-vm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { vm, script, id } = loadVm({ useCodeCache: false });
vm.storeParsedClasses(`${root}Smalltalk`, STORED_CLASSES, id);
const code = vm.main(['-cp', `${root}Smalltalk`, `${root}examples/Hello.som`], launchOf(id));
if (code !== 0) {
  process.stderr.write(`make-caches: the training run ended with status ${code}\n`);
  process.exit(1);
}
writeCodeCache(script, id);
