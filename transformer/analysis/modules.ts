/**
 * The interpreter's modules as the traced-code analysis sees them: each parsed once, with its
 * top-level functions, the names it defines or imports, and its functions' annotations. Paths
 * are repo-relative with forward slashes, as in generated source references.
 */
import { parse } from '@babel/parser';
import * as t from '@babel/types';
import { posix } from 'node:path';
import { moduleBindings, type ModuleBinding } from './dispatch-loop.ts';
import { annotationsIn, type AnnotationMap } from './annotations.ts';

/** Reads a repo-relative module; null if there is none. */
export type ModuleReader = (path: string) => string | null;

export interface ParsedModule {
  readonly file: string;
  /** Imported names and top-level function declarations. */
  readonly bindings: ReadonlyMap<string, ModuleBinding>;
  /** Other top-level names (constants, classes): values, not functions the analysis can follow. */
  readonly values: ReadonlySet<string>;
  /** The initialisers of top-level `const` declarations. */
  readonly constants: ReadonlyMap<string, t.Expression>;
  readonly functions: ReadonlyMap<string, t.FunctionDeclaration>;
  readonly annotations: AnnotationMap;
}

export class ModuleIndex {
  private readonly modules = new Map<string, ParsedModule | null>();

  constructor(private readonly read: ModuleReader) {}

  /** Adds a module parsed elsewhere (the interpreter, which tests may pass as modified text). */
  add(file: string, ast: t.File): ParsedModule {
    const module = index(file, ast);
    this.modules.set(file, module);
    return module;
  }

  /** The module at `file`, parsed on first use; null if it cannot be read. */
  get(file: string): ParsedModule | null {
    if (!this.modules.has(file)) {
      const source = this.read(file);
      const ast = source === null ? null : parse(source, { sourceType: 'module', plugins: ['typescript'] });
      this.modules.set(file, ast === null ? null : index(file, ast));
    }
    return this.modules.get(file)!;
  }
}

/** The repo-relative file an import of `specifier` in `from` names; null for a package. */
export function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

function index(file: string, ast: t.File): ParsedModule {
  const functions = new Map<string, t.FunctionDeclaration>();
  const values = new Set<string>();
  const constants = new Map<string, t.Expression>();
  for (const statement of ast.program.body) {
    const decl = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
    if (t.isFunctionDeclaration(decl) && decl.id) functions.set(decl.id.name, decl);
    if (t.isClassDeclaration(decl) && decl.id) values.add(decl.id.name);
    if (t.isVariableDeclaration(decl)) {
      for (const d of decl.declarations) {
        if (!t.isIdentifier(d.id)) continue;
        values.add(d.id.name);
        if (decl.kind === 'const' && d.init != null) constants.set(d.id.name, d.init);
      }
    }
  }
  return { file, bindings: moduleBindings(ast), values, constants, functions, annotations: annotationsIn(ast) };
}
