/**
 * Reads the `@jit.*` function annotations of the interpreter's modules and checks that
 * annotated handlers stay in the restricted subset (no try, no closures per operation).
 *
 * An annotation is a tag in a function's leading TSDoc: `/** @jit.handler why ... *\/`.
 * The result is plain data: function name -> annotations.
 */
import { parse } from '@babel/parser';
import * as t from '@babel/types';
import { FUNCTION_ANNOTATIONS, type FunctionAnnotation } from '../../interpreter/jit.ts';
import { reject } from '../rules.ts';

export type AnnotationMap = ReadonlyMap<string, readonly FunctionAnnotation[]>;

/** Annotations of the top-level functions of one module's source. */
export function readAnnotations(source: string, file: string): AnnotationMap {
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
  const found = new Map<string, FunctionAnnotation[]>();
  for (const statement of ast.program.body) {
    const decl = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
    if (!t.isFunctionDeclaration(decl) || decl.id == null) continue;
    const comments = [...(statement.leadingComments ?? []), ...(decl.leadingComments ?? [])];
    const tags = FUNCTION_ANNOTATIONS.filter((a) => comments.some((c) => c.value.includes(`@jit.${a}`)));
    if (tags.length === 0) continue;
    found.set(decl.id.name, tags);
    if (tags.includes('handler')) checkHandlerBody(decl, file);
  }
  return found;
}

/** How many `jit.isJitted()` calls a module's source has (each must say why no directive fits). */
export function countIsJitted(source: string): number {
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
  let count = 0;
  t.traverseFast(ast, (node) => {
    if (
      t.isCallExpression(node) &&
      t.isMemberExpression(node.callee) &&
      t.isIdentifier(node.callee.object, { name: 'jit' })
    ) {
      if (t.isIdentifier(node.callee.property, { name: 'isJitted' })) count++;
    }
  });
  return count;
}

/** A handler is traced by the tracer: it must be in the restricted subset. */
function checkHandlerBody(fn: t.FunctionDeclaration, file: string): void {
  t.traverseFast(fn.body, (node) => {
    if (t.isTryStatement(node)) reject(file, node, 'T1', `handler ${fn.id?.name ?? '?'} contains a try statement`);
    if (t.isFunction(node)) reject(file, node, 'T2', `handler ${fn.id?.name ?? '?'} creates a function`);
  });
}
