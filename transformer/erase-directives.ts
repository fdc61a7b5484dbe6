/**
 * Erases the jit.ts directives from the interpreter for the interpreter's own build.
 *
 * Directives are no-ops at run time, but V8 does not inline every call to them in the large
 * dispatch loop, and those calls cost about a quarter of the interpreter's time. So the build
 * rewrites the interpreter sources before bundling: `jit.ct(x)` and `jit.promote(x)` become
 * `x`, `jit.isJitted()` becomes `false`, and `jit.dispatchLoop(...)` / `jit.backEdge(...)`
 * statements disappear. The source as written (with directives) is what the compiler
 * generators read; the erased copy is only what runs as the plain interpreter.
 */
import { parse } from '@babel/parser';
import _traverse from '@babel/traverse';
import _generate from '@babel/generator';
import * as t from '@babel/types';
import type { Directive } from '../interpreter/jit.ts';

// any: @babel/traverse and @babel/generator are CommonJS; their default export arrives wrapped.
const traverse = ((_traverse as any).default ?? _traverse) as typeof _traverse;
const generate = ((_generate as any).default ?? _generate) as typeof _generate;

/** What each directive call becomes in the plain interpreter. */
const ERASURE: Readonly<Record<Directive, 'argument' | 'statement' | 'false'>> = {
  dispatchLoop: 'statement',
  ct: 'argument',
  backEdge: 'statement',
  promote: 'argument',
  isJitted: 'false',
};

function directiveOf(node: t.CallExpression): Directive | null {
  const callee = node.callee;
  if (!t.isMemberExpression(callee) || !t.isIdentifier(callee.object, { name: 'jit' })) return null;
  if (!t.isIdentifier(callee.property) || callee.computed) return null;
  return Object.hasOwn(ERASURE, callee.property.name) ? (callee.property.name as Directive) : null;
}

/** The source with every directive call erased; unchanged if it has none. */
export function eraseDirectives(source: string, filename: string): string {
  if (!source.includes('jit.')) return source;
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'], sourceFilename: filename });
  let changed = false;
  traverse(ast, {
    CallExpression(path) {
      const directive = directiveOf(path.node);
      if (directive === null) return;
      changed = true;
      const erasure = ERASURE[directive];
      if (erasure === 'argument') {
        path.replaceWith(path.node.arguments[0] as t.Expression);
      } else if (erasure === 'false') {
        path.replaceWith(t.booleanLiteral(false));
      } else if (path.parentPath.isExpressionStatement()) {
        path.parentPath.remove();
      } else {
        throw path.buildCodeFrameError(`jit.${directive}(...) must be a statement of its own`);
      }
    },
  });
  return changed ? generate(ast, { retainLines: true }, source).code : source;
}
