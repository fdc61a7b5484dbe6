// Build step (build.mjs): trains and writes the VM bundle's V8 code cache (bin/load-vm.mjs).
// It runs examples/Hello.som on the main thread, as `som` would, so that every function that
// start-up calls has been compiled, then saves the compiled code. Run in a fresh process with
// no V8 flags, as `som` itself runs (a cache made under other flags would be rejected).
import { fileURLToPath } from 'node:url';
import { loadVm, writeCodeCache } from './load-vm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { vm, script, id } = loadVm({ useCodeCache: false });
const code = vm.main(['-cp', `${root}Smalltalk`, `${root}examples/Hello.som`], new URL('./som.mjs', import.meta.url));
if (code !== 0) {
  process.stderr.write(`make-code-cache: the training run ended with status ${code}\n`);
  process.exit(1);
}
writeCodeCache(script, id);
