// The VM's worker thread (bin/vm-worker.ts): loads the VM bundle in this thread and runs the
// program the main thread passed.
import { loadVm } from './load-vm.mjs';

await loadVm().vm.workerMain();
