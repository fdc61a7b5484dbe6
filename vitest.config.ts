// Vitest configuration: every *.test.ts under test/, plus a JSON report that .ci/run
// summarises as one "N passed, N failed" line. Interpreter sources get the same directive
// lowering as the bundled VM (transformer/erase-directives.ts), so in-process runs include
// the back-edge checks through which activations move into tier 1. SOM_CHECK_IR=1 makes every
// trace the tests build (in process, and in the VMs they start) check each IR instruction as it
// is appended (runtime/ir/trace-builder.ts).
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { eraseDirectives } from './transformer/erase-directives.ts';

const tierHooks = resolve(import.meta.dirname, 'interpreter/tier-hooks.ts');

export default defineConfig({
  plugins: [
    {
      name: 'lower-jit-directives',
      enforce: 'pre',
      transform(code, id) {
        if (!/[\\/]interpreter[\\/].*\.ts$/.test(id)) return null;
        return { code: eraseDirectives(code, id, { tierHooks }), map: null };
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    env: { SOM_CHECK_IR: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
