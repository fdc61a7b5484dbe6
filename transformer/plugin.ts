/**
 * The Babel plugin: connects Babel's traversal of the interpreter source to the analyses and
 * the emitters. Run on interpreter/interpreter.ts, it finds the dispatch loop, reads the
 * handlers' annotations (through `readModule`), and leaves the generated tier-1 module's AST
 * in the file's metadata (`metadata.tier1Generator`).
 */
import { declare } from '@babel/helper-plugin-utils';
import type * as t from '@babel/types';
import { findDispatchLoop } from './analysis/dispatch-loop.ts';
import { countIsJitted, readAnnotations, type AnnotationMap } from './analysis/annotations.ts';
import { readInlinableHandlers, type InlinableHandler } from './analysis/inline-handlers.ts';
import { Tier1Emitter, tier1Module, type GeneratorSources } from './emit/tier1-emitter.ts';

export interface PluginOptions extends GeneratorSources {
  /** Emit one-statement handlers inline (default) or as calls. */
  readonly inlineHandlers?: boolean;
  /** The source of an interpreter-relative module (for its annotations); null if unreadable. */
  readModule(relativeToInterpreter: string): string | null;
}

export interface GeneratorMetadata {
  tier1Generator?: t.File;
  handlerCount?: number;
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
        const loop = findDispatchLoop(path.parent as t.File, file, options.opcodes);
        const annotations = new Map<string, AnnotationMap extends ReadonlyMap<string, infer V> ? V : never>();
        const add = (map: AnnotationMap): void => map.forEach((v, k) => annotations.set(k, v));
        const interpreterSource = path.hub.getCode() ?? '';
        const inlinable = new Map<string, InlinableHandler>();
        add(readAnnotations(interpreterSource, file));
        const sources = new Map<string, string>([[file, interpreterSource]]);
        for (const [name, binding] of loop.moduleBindings) {
          if (binding.kind !== 'import') continue;
          const source = options.readModule(binding.source);
          if (source === null) continue;
          sources.set(binding.source, source);
          const small = readInlinableHandlers(source).get(binding.imported);
          if (small !== undefined) inlinable.set(name, small);
          const imported = readAnnotations(source, binding.source);
          const tags = imported.get(binding.imported);
          if (tags !== undefined) annotations.set(name, tags);
        }
        const emitter = new Tier1Emitter(
          file,
          loop,
          annotations,
          options.inlineHandlers === false ? new Map() : inlinable,
        );
        const metadata = state.file.metadata as unknown as GeneratorMetadata;
        metadata.tier1Generator = tier1Module(emitter, loop, options);
        metadata.handlerCount = emitter.handlerNames.size;
        metadata.isJittedSites = [...sources.values()].reduce((n, s) => n + countIsJitted(s), 0);
      },
    },
  };
});
