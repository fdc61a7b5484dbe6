#!/usr/bin/env node
// The `som` command: loads the VM (bundled by `npm run build` into dist/som.cjs) and starts
// it. The VM runs this same file in its worker thread when a program needs a big stack.
import { loadVm } from './load-vm.mjs';

loadVm().vm.start(new URL(import.meta.url));
