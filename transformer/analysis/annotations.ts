/**
 * Reads the `@jit.*` function annotations of the interpreter's modules.
 *
 * An annotation is a tag in a function's leading TSDoc: `/** @jit.handler why ... *\/`.
 * The result is plain data: function name -> annotations. Whether the annotated code keeps to
 * the restricted subset is checked where it is reached (traced-code.ts).
 */
import { parse } from '@babel/parser';
import * as t from '@babel/types';
import { FUNCTION_ANNOTATIONS, type FunctionAnnotation } from '../../interpreter/jit.ts';

export type AnnotationMap = ReadonlyMap<string, readonly FunctionAnnotation[]>;

/** Annotations of the top-level functions of one module's source. */
export function readAnnotations(source: string): AnnotationMap {
  return annotationsIn(parse(source, { sourceType: 'module', plugins: ['typescript'] }));
}

/** Annotations of the top-level functions of a parsed module. */
export function annotationsIn(ast: t.File): AnnotationMap {
  const found = new Map<string, FunctionAnnotation[]>();
  for (const statement of ast.program.body) {
    const decl = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
    if (!t.isFunctionDeclaration(decl) || decl.id == null) continue;
    const comments = [...(statement.leadingComments ?? []), ...(decl.leadingComments ?? [])];
    const tags = FUNCTION_ANNOTATIONS.filter((a) => comments.some((c) => c.value.includes(`@jit.${a}`)));
    if (tags.length > 0) found.set(decl.id.name, tags);
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
