/**
 * The Babel plugin: connects Babel's traversal of the interpreter source to the analyses and
 * the generators. Run on interpreter/interpreter.ts, it finds the dispatch loop, follows the
 * code it reaches (handlers, helpers, their annotations and binding times, checked against the
 * rules), and leaves in the file's metadata one generated module's AST per generator of
 * `options.generators`, with the analysis they were made from.
 */
import { declare } from '@babel/helper-plugin-utils';
import type * as t from '@babel/types';
import { posix } from 'node:path';
import { findDispatchLoop, type DispatchLoop } from './analysis/dispatch-loop.ts';
import { countIsJitted, readAnnotations } from './analysis/annotations.ts';
import { readInlinableHandlers, type InlinableHandler } from './analysis/inline-handlers.ts';
import { analyseTracedCode, type TracedCode } from './analysis/traced-code.ts';
import { resolveImport, type ModuleReader } from './analysis/modules.ts';
import type { OpcodeShape } from './analysis/case-shape.ts';
import { assembleModule, type EmitterContext, type Generator } from './emit/generated-module.ts';
import type { FunctionAnnotation } from '../interpreter/jit.ts';

export interface PluginOptions {
  /** The interpreter file, repo-relative (e.g. interpreter/interpreter.ts). */
  readonly interpreterFile: string;
  /** Where the generated modules go, repo-relative (e.g. generated). */
  readonly outputDir: string;
  /** The opcodes in numbering order, from the opcode table. */
  readonly opcodes: readonly OpcodeShape[];
  readonly generators: readonly Generator[];
  /** Emit one-statement handlers inline (default) or as calls. */
  readonly inlineHandlers?: boolean;
  /** The source of a repo-relative module; null if there is none. */
  readonly readModule: ModuleReader;
  /** The repo-relative module listing the traced primitives (analysis/traced-code.ts); null: none. */
  readonly tracedPrimitivesFile?: string | null;
}

/** One generator's output. */
export interface GeneratedModule {
  readonly generator: Generator;
  /** Repo-relative path of the module. */
  readonly path: string;
  readonly ast: t.File;
}

export interface GeneratorMetadata {
  modules?: GeneratedModule[];
  traced?: TracedCode;
  /** `jit.isJitted()` sites in the interpreter and its imported modules (STYLE.md §2.3). */
  isJittedSites?: number;
}

export default declare((api, options: PluginOptions) => {
  api.assertVersion(7);
  return {
    name: 'som-jit-generators',
    visitor: {
      Program(path, state) {
        const file = options.interpreterFile;
        const ast = path.parent as t.File;
        const loop = findDispatchLoop(ast, file, options.opcodes);
        const traced = analyseTracedCode(loop, file, ast, options.readModule, options.tracedPrimitivesFile ?? null);
        const sources = importedSources(loop, file, options.readModule);
        sources.set(file, path.hub.getCode() ?? '');
        const context = {
          ...emitterContext(loop, file, sources, options.inlineHandlers ?? true),
          traced,
          readModule: options.readModule,
        };
        const metadata = state.file.metadata as unknown as GeneratorMetadata;
        metadata.modules = options.generators.map((generator) => {
          const outputFile = posix.join(options.outputDir, generator.fileName);
          const emitter = generator.createEmitter(context);
          const module = assembleModule(generator, emitter, {
            interpreterFile: file,
            outputFile,
            opcodes: options.opcodes,
          });
          return { generator, path: outputFile, ast: module };
        });
        metadata.traced = traced;
        metadata.isJittedSites = [...sources.values()].reduce((n, s) => n + countIsJitted(s), 0);
      },
    },
  };
});

/** The sources of the modules the interpreter imports from, by repo-relative path. */
function importedSources(loop: DispatchLoop, file: string, read: ModuleReader): Map<string, string> {
  const sources = new Map<string, string>();
  for (const binding of loop.moduleBindings.values()) {
    if (binding.kind !== 'import') continue;
    const path = resolveImport(file, binding.source);
    const source = path === null ? null : read(path);
    if (path !== null && source !== null) sources.set(path, source);
  }
  return sources;
}

/** What every generator's emitter is made from: the dispatch loop and its callees' annotations. */
function emitterContext(
  loop: DispatchLoop,
  file: string,
  sources: ReadonlyMap<string, string>,
  inline: boolean,
): EmitterContext {
  const annotations = new Map<string, readonly FunctionAnnotation[]>(readAnnotations(sources.get(file)!));
  const inlinable = new Map<string, InlinableHandler>();
  const read = new Map(
    [...sources].map(([path, source]) => [
      path,
      { annotations: readAnnotations(source), inlinable: readInlinableHandlers(source) },
    ]),
  );
  for (const [name, binding] of loop.moduleBindings) {
    if (binding.kind !== 'import') continue;
    const path = resolveImport(file, binding.source);
    const module = path === null ? undefined : read.get(path);
    if (module === undefined) continue;
    const small = module.inlinable.get(binding.imported);
    if (small !== undefined) inlinable.set(name, small);
    const tags = module.annotations.get(binding.imported);
    if (tags !== undefined) annotations.set(name, tags);
  }
  return { file, loop, annotations, inlinable: inline ? inlinable : new Map() };
}
