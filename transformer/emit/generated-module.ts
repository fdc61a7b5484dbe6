/**
 * A generated module, assembled the same way for every generator: the header naming the
 * generator and its sources, the imports of every module name the generated code uses, the
 * exported `HANDLERS` (the functions emitted code calls, under the names it uses) and the
 * generator's per-opcode table, filled in opcode-table order with the source line of each case
 * before its function (STYLE.md §2.6). A generator contributes only its emitter and the few
 * facts in `Generator`.
 */
import * as t from '@babel/types';
import { posix } from 'node:path';
import type { DispatchLoop } from '../analysis/dispatch-loop.ts';
import type { AnnotationMap } from '../analysis/annotations.ts';
import type { InlinableHandlers } from '../analysis/inline-handlers.ts';
import type { OpcodeShape } from '../analysis/case-shape.ts';
import type { ModuleReader } from '../analysis/modules.ts';
import type { TracedCode } from '../analysis/traced-code.ts';
import type { HandlerEmitter } from './handler-emitter.ts';

/** What an emitter is made from: the analysed interpreter. */
export interface EmitterContext {
  readonly file: string;
  readonly loop: DispatchLoop;
  readonly annotations: AnnotationMap;
  /** Handlers small enough to emit inline (empty: call them all). */
  readonly inlinable: InlinableHandlers;
  /** Everything the dispatch loop reaches (for generators that follow handlers and helpers). */
  readonly traced?: TracedCode;
  /** The source of a repo-relative module of the interpreter. */
  readonly readModule?: ModuleReader;
}

/** One generator of the list the plugin drives (transformer/generators.ts). */
export interface Generator {
  /** The generated module's file name in the output directory, e.g. tier1-generator.js. */
  readonly fileName: string;
  /** The repo-relative module that defines the generator, named in the header. */
  readonly definedIn: string;
  /** What the generated module is for: the lines of its header after the GENERATED notice. */
  readonly about: readonly string[];
  /** The exported per-opcode table: its name, its doc, and its element type for the declarations. */
  readonly table: {
    readonly name: string;
    readonly doc: string;
    /** A type name and the module (relative to the output directory) it is imported from; null: unknown. */
    readonly elementType: { readonly name: string; readonly from: string } | null;
  };
  /**
   * Further exports of the module, which the emitter's `moduleFunctions` declares: for each, its
   * name, doc, type, and the type's import (relative to the output directory).
   */
  readonly exports?: readonly {
    readonly name: string;
    readonly doc: string;
    readonly type: string;
    readonly imports: readonly { readonly name: string; readonly from: string }[];
  }[];
  createEmitter(context: EmitterContext): HandlerEmitter;
}

/** Where the generated module comes from and goes to. */
export interface ModuleSources {
  /** The interpreter file, repo-relative (e.g. interpreter/interpreter.ts). */
  readonly interpreterFile: string;
  /** The generated file, repo-relative (e.g. generated/tier1-generator.js). */
  readonly outputFile: string;
  /** The opcodes in numbering order, from the opcode table. */
  readonly opcodes: readonly OpcodeShape[];
}

/** The whole generated module as a Babel AST. */
export function assembleModule(generator: Generator, emitter: HandlerEmitter, sources: ModuleSources): t.File {
  const loop = emitter.loop;
  // The dispatch-loop analysis has checked that there is one case per opcode (rule T11).
  const byOpcode = new Map(loop.cases.map((c) => [c.opcode, c]));
  const table = generator.table.name;
  const entries = sources.opcodes.map(({ name: op }) => {
    const c = byOpcode.get(op)!;
    const assignment = t.expressionStatement(
      t.assignmentExpression(
        '=',
        t.memberExpression(t.identifier(table), t.memberExpression(t.identifier('Op'), t.identifier(op)), true),
        emitter.emitCase(c),
      ),
    );
    t.addComment(assignment, 'leading', sourceReference(op, sources.interpreterFile, c.line), true);
    return assignment;
  });
  const functions = emitter.moduleFunctions();
  const handlers = [...emitter.handlerNames].sort();
  const body: t.Statement[] = [
    ...imports(emitter, loop, sources),
    exportConst(
      'HANDLERS',
      t.objectExpression(handlers.map((n) => t.objectProperty(t.identifier(n), t.identifier(n), false, true))),
      HANDLERS_DOC,
    ),
    exportConst(table, t.arrayExpression([]), generator.table.doc),
    ...entries,
    ...functions,
  ];
  const program = t.program(body);
  t.addComment(program.body[0]!, 'leading', header(generator, sources), false);
  return t.file(program);
}

const HANDLERS_DOC = 'The functions emitted code calls, under the names it uses.';

/** The text of the comment before each case's function: `OP <- file:line (case Op.OP)`. */
export function sourceReference(op: string, file: string, line: number): string {
  return ` ${op} <- ${file}:${line} (case Op.${op})`;
}

/** The generated module's type declarations. */
export function declarations(generator: Generator): string {
  const { name, doc, elementType } = generator.table;
  const exports = generator.exports ?? [];
  const typeImports = [...(elementType === null ? [] : [elementType]), ...exports.flatMap((e) => e.imports)];
  return [
    `// GENERATED by ${generator.definedIn}. Do not edit: run \`npm run build\`.`,
    ...typeImports.map((type) => `import type { ${type.name} } from '${type.from}';`),
    `/** ${HANDLERS_DOC} */`,
    'export declare const HANDLERS: Readonly<Record<string, unknown>>;',
    `/** ${doc} */`,
    `export declare const ${name}: readonly ${elementType?.name ?? 'unknown'}[];`,
    ...exports.flatMap((e) => [`/** ${e.doc} */`, `export declare const ${e.name}: ${e.type};`]),
    '',
  ].join('\n');
}

/** `export const name = value;` with a doc comment (for an emitter's further exports). */
export function exportConst(name: string, value: t.Expression, doc: string): t.Statement {
  const decl = t.exportNamedDeclaration(
    t.variableDeclaration('const', [t.variableDeclarator(t.identifier(name), value)]),
  );
  t.addComment(decl, 'leading', `* ${doc} `, false);
  return decl;
}

function header(generator: Generator, sources: ModuleSources): string {
  return [
    '*',
    ` * GENERATED by ${generator.definedIn} from ${sources.interpreterFile}, its handler`,
    ' * modules, interpreter/jit.ts and interpreter/compiler/opcodes.ts.',
    ' * Do not edit: change those and run `npm run build`.',
    ' *',
    ...generator.about.map((line) => ` * ${line}`),
    ' ',
  ].join('\n');
}

/** Import declarations for every module name the generated functions or the emitted code use. */
function imports(emitter: HandlerEmitter, loop: DispatchLoop, sources: ModuleSources): t.Statement[] {
  const bySource = new Map<string, Set<string>>();
  const add = (source: string, spec: string): void => {
    const set = bySource.get(source) ?? new Set<string>();
    set.add(spec);
    bySource.set(source, set);
  };
  const fromInterpreter = (relative: string): string => {
    const target = posix.join(posix.dirname(sources.interpreterFile), relative);
    const path = posix.relative(posix.dirname(sources.outputFile), target);
    return path.startsWith('.') ? path : `./${path}`;
  };
  const opBinding = loop.moduleBindings.get('Op');
  if (opBinding?.kind !== 'import') throw new Error(`${sources.interpreterFile}: the opcode enum Op must be imported`);
  add(fromInterpreter(opBinding.source), 'Op');
  for (const name of [...emitter.handlerNames, ...emitter.staticHelperNames]) {
    const binding = loop.moduleBindings.get(name)!;
    if (binding.kind === 'import')
      add(fromInterpreter(binding.source), binding.imported === name ? name : `${binding.imported} as ${name}`);
    else add(fromInterpreter(`./${posix.basename(sources.interpreterFile)}`), name);
  }
  for (const [name, { file, imported }] of emitter.moduleImports) {
    const path = posix.relative(posix.dirname(sources.outputFile), file);
    add(path.startsWith('.') ? path : `./${path}`, imported === name ? name : `${imported} as ${name}`);
  }
  return [...bySource.keys()].sort().map((source) => {
    const specs = [...bySource.get(source)!].sort().map((s) => {
      const [imported, local] = s.split(' as ') as [string, string | undefined];
      return t.importSpecifier(t.identifier(local ?? imported), t.identifier(imported));
    });
    return t.importDeclaration(specs, t.stringLiteral(source));
  });
}
