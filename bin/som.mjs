#!/usr/bin/env node
// The `som` command: loads the VM (bundled by `npm run build` into dist/som.cjs) and starts
// it (bin/som-main.ts).
import { launchOf, loadVm } from './load-vm.mjs';

const { vm, id } = loadVm();
vm.start(launchOf(id));
