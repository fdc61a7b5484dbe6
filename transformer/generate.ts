/**
 * The transformer's driver, run by build.mjs: applies the Babel plugin to the interpreter and
 * prints the module of each generator in the list (transformer/generators.ts), with its type
 * declarations; build.mjs formats them with the project's Prettier configuration. Output
 * depends only on the input sources (no dates, no paths outside the repository), so two builds
 * give identical files.
 */
import { transformFromAstSync } from '@babel/core';
import type * as t from '@babel/types';
import { parse } from '@babel/parser';
import { generate } from './babel-interop.ts';
import { readFileSync, existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import plugin, { type GeneratorMetadata, type PluginOptions } from './plugin.ts';
import type { OpcodeShape } from './analysis/case-shape.ts';
import type { TracedCode } from './analysis/traced-code.ts';
import { declarations, type Generator } from './emit/generated-module.ts';
import { GENERATORS } from './generators.ts';
import { TransformError } from './rules.ts';

export interface GeneratedFile {
  readonly path: string;
  readonly code: string;
}

export interface GenerateOptions {
  readonly root: string;
  /** Repo-relative interpreter file (default interpreter/interpreter.ts). */
  readonly interpreterFile?: string;
  /** Repo-relative output directory (default generated). */
  readonly outputDir?: string;
  /** The opcodes in numbering order, with their instruction lengths (from the opcode table). */
  readonly opcodes: readonly OpcodeShape[];
  /** The interpreter's text, if not the file's (tests transform modified copies). */
  readonly interpreterSource?: string;
  /** The text of other repo-relative modules, where not the files' (modified handlers, in tests). */
  readonly moduleSources?: Readonly<Record<string, string>>;
  /** Emit one-statement handlers inline (default true). */
  readonly inlineHandlers?: boolean;
  /**
   * The repo-relative module listing the traced primitives (default: `primitives/traced.ts` next
   * to the interpreter, when there is one; null: none).
   */
  readonly tracedPrimitivesFile?: string | null;
  /** The generators to run (default: GENERATORS). */
  readonly generators?: readonly Generator[];
}

export interface GenerateResult {
  /** Per generator, its module then its declarations. */
  readonly files: GeneratedFile[];
  /** How many functions the dispatch loop calls. */
  readonly handlerCount: number;
  /** Everything the dispatch loop reaches, with binding times (analysis/traced-code.ts). */
  readonly traced: TracedCode;
  readonly isJittedSites: number;
}

/** Runs the transformer; answers the generated files (not yet formatted). */
export function generateCompilers(options: GenerateOptions): GenerateResult {
  const interpreterFile = options.interpreterFile ?? 'interpreter/interpreter.ts';
  const source = options.interpreterSource ?? readFileSync(join(options.root, interpreterFile), 'utf8');
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'], sourceFilename: interpreterFile });
  const readModule = (path: string): string | null => {
    if (path === interpreterFile) return source;
    const given = options.moduleSources?.[path];
    if (given !== undefined) return given;
    const absolute = join(options.root, path);
    return existsSync(absolute) ? readFileSync(absolute, 'utf8') : null;
  };
  const besideInterpreter = posix.join(posix.dirname(interpreterFile), 'primitives/traced.ts');
  const pluginOptions: PluginOptions = {
    interpreterFile,
    tracedPrimitivesFile:
      options.tracedPrimitivesFile !== undefined
        ? options.tracedPrimitivesFile
        : readModule(besideInterpreter) === null
          ? null
          : besideInterpreter,
    outputDir: options.outputDir ?? 'generated',
    opcodes: options.opcodes,
    generators: options.generators ?? GENERATORS,
    inlineHandlers: options.inlineHandlers ?? true,
    readModule,
  };
  const metadata = transform(ast, source, pluginOptions, join(options.root, interpreterFile));
  const traced = metadata.traced;
  return {
    files: metadata.modules.flatMap((m) => [
      { path: m.path, code: print(m.ast) },
      { path: m.path.replace(/\.js$/, '.d.ts'), code: declarations(m.generator) },
    ]),
    handlerCount: new Set(traced.calls.filter((c) => c.caller.startsWith('case ')).map((c) => c.callee)).size,
    traced,
    isJittedSites: metadata.isJittedSites,
  };
}

/** Runs the plugin; a rule breach leaves as the TransformError it is, not prefixed by Babel. */
function transform(ast: t.File, source: string, options: PluginOptions, filename: string): Required<GeneratorMetadata> {
  let result;
  try {
    result = transformFromAstSync(ast, source, {
      plugins: [[plugin, options]],
      code: false,
      ast: false,
      babelrc: false,
      configFile: false,
      filename,
    });
  } catch (e) {
    if (e instanceof TransformError) e.message = e.report; // Babel put the absolute path in front
    throw e;
  }
  const metadata = result?.metadata as unknown as GeneratorMetadata | undefined;
  if (metadata?.modules === undefined || metadata.traced === undefined) {
    throw new Error('the transformer produced no generated modules');
  }
  return { modules: metadata.modules, traced: metadata.traced, isJittedSites: metadata.isJittedSites ?? 0 };
}

/** A generated module as text, with a blank line before each source reference (of a case or a function). */
function print(ast: t.File): string {
  return generate(ast, { comments: true }).code.replace(/\n(\/\/ [\w$]+ <- )/g, '\n\n$1');
}
