/**
 * Babel's traverse and generator packages are CommonJS: imported from ES modules (under esbuild
 * and under vitest alike) their function may arrive as the module's `default` property. This
 * is the one place that unwraps them.
 */
import _traverse from '@babel/traverse';
import _generate from '@babel/generator';

/* eslint-disable @typescript-eslint/no-explicit-any -- any: the CommonJS wrapper has no type of its own */
export const traverse = ((_traverse as any).default ?? _traverse) as typeof _traverse;
export const generate = ((_generate as any).default ?? _generate) as typeof _generate;
/* eslint-enable @typescript-eslint/no-explicit-any */
