/**
 * The restricted subset for the bodies of handlers and traced helpers (DESIGN.md, Directives):
 * locals, assignments, arithmetic, property and element access, calls, `new`,
 * `if`/`switch`/`return`/`throw`. The tracer follows such a body operation by operation, so
 * there is no `try` (T1: non-local return is handled around activations), no closure created
 * per operation (T2), no property named by a computed string (T3), and no loop or other
 * statement outside the list (T15: a helper with a loop is `@jit.residual`, or waits for an
 * `unroll` directive). Parameters are plain names, so each call site binds each one.
 */
import * as t from '@babel/types';
import { reject } from '../rules.ts';
import { checkDirectives } from './directives.ts';

const STATEMENTS: ReadonlySet<string> = new Set([
  'VariableDeclaration',
  'ExpressionStatement',
  'IfStatement',
  'BlockStatement',
  'ReturnStatement',
  'ThrowStatement',
  'SwitchStatement',
  'BreakStatement',
  'EmptyStatement',
]);

/** Rejects a breach of the subset in the function `fn` of `file`. */
export function checkTracedFunction(fn: t.FunctionDeclaration, file: string): void {
  const name = fn.id?.name ?? '?';
  for (const p of fn.params) {
    if (!t.isIdentifier(p)) reject(file, p, 'T15', `${name} takes a ${p.type} parameter`);
  }
  checkDirectives(fn.body, file);
  t.traverseFast(fn.body, (node) => {
    if (t.isTryStatement(node)) reject(file, node, 'T1', `${name} contains a try statement`);
    if (t.isFunction(node)) reject(file, node, 'T2', `${name} creates a function`);
    if (t.isMemberExpression(node) && node.computed && isStringName(node.property)) {
      reject(file, node, 'T3', `${name} reads a property by a computed name`);
    }
    if (t.isStatement(node) && !STATEMENTS.has(node.type)) {
      reject(file, node, 'T15', `${name} contains a ${describe(node)}`);
    }
  });
}

function isStringName(property: t.Node): boolean {
  return t.isStringLiteral(property) || t.isTemplateLiteral(property);
}

/** `ForOfStatement` -> `for-of statement`. */
function describe(node: t.Statement): string {
  const words = node.type.replace(/Statement$/, '').replace(/([a-z])([A-Z])/g, '$1-$2');
  return `${words.toLowerCase()} statement`;
}
