/**
 * Dependencies point one way (DESIGN.md): the runtime and the generated modules import the
 * interpreter, never the reverse; the interpreter reaches the tiers only through the hooks the
 * runtime installs (interpreter/tier-hooks.ts). Checked twice: statically, no module under
 * interpreter/ imports anything outside it; and by bundling the interpreter the way build.mjs
 * does (directives lowered) from an entry that imports only interpreter/universe.ts, which must
 * pull in no runtime module and must run a looping, sending program with the default hooks.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@babel/parser';
import * as t from '@babel/types';
import { build } from 'esbuild';
import { eraseDirectives } from '../../transformer/erase-directives.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INTERPRETER = join(ROOT, 'interpreter');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a source names: imports, re-exports and dynamic import()s. */
function specifiers(source: string): string[] {
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
  const found: string[] = [];
  t.traverseFast(ast, (node) => {
    if ((t.isImportDeclaration(node) || t.isExportAllDeclaration(node)) && node.source) found.push(node.source.value);
    if (t.isExportNamedDeclaration(node) && node.source) found.push(node.source.value);
    if (t.isImport(node) || (t.isCallExpression(node) && t.isImport(node.callee))) {
      const arg = t.isCallExpression(node) ? node.arguments[0] : undefined;
      if (t.isStringLiteral(arg)) found.push(arg.value);
    }
  });
  return found;
}

describe('the interpreter stands alone', () => {
  it('imports nothing outside interpreter/ (type imports included)', () => {
    const files = sourcesUnder(INTERPRETER);
    expect(files.length).toBeGreaterThan(20);
    const outside = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .filter((s) => relative(INTERPRETER, resolve(dirname(file), s)).startsWith('..'))
        .map((s) => `${relative(ROOT, file)} -> ${s}`),
    );
    expect(outside).toEqual([]);
  });

  it('loads and runs a program with the default hooks, bundling no runtime module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-alone-'));
    try {
      writeFileSync(
        join(dir, 'Loop.som'),
        'Loop = ( run = ( | sum i | sum := 0. i := 0. [ i < 3000 ] whileTrue: [ i := i + 1. sum := sum + (self twice: i) ]. sum println ) twice: n = ( ^ n * 2 ) )\n',
      );
      const entry = [
        `import { Universe } from ${JSON.stringify(join(INTERPRETER, 'universe.ts'))};`,
        `const output = { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) };`,
        `const u = new Universe({ classpath: [${JSON.stringify(dir)}, ${JSON.stringify(join(ROOT, 'Smalltalk'))}], output, maxStackDepth: 1000 });`,
        `u.bootstrap();`,
        `u.start(['Loop']);`,
      ].join('\n');
      const tierHooks = join(INTERPRETER, 'tier-hooks.ts');
      const result = await build({
        stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        plugins: [
          {
            name: 'lower-jit-directives',
            setup(b) {
              b.onLoad({ filter: /[\\/]interpreter[\\/].*\.ts$/ }, (args) => ({
                contents: eraseDirectives(readFileSync(args.path, 'utf8'), args.path, { tierHooks }),
                loader: 'ts',
              }));
            },
          },
        ],
      });
      const inputs = Object.keys(result.metafile.inputs).map((p) => p.split(sep).join('/'));
      expect(inputs).toContain('interpreter/tier-hooks.ts');
      expect(inputs.filter((p) => !p.startsWith('interpreter/') && p !== '<stdin>')).toEqual([]);
      const bundle = join(dir, 'alone.mjs');
      writeFileSync(bundle, result.outputFiles[0]!.text);
      // sum of 2i for i = 1..3000
      expect(execFileSync(process.execPath, [bundle], { encoding: 'utf8' })).toBe('9003000\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
