/**
 * Directive sites in interpreter code: calls `jit.<name>(...)` of the vocabulary that
 * interpreter/jit.ts defines. Its `jit` object's keys are exactly the directives the transformer
 * knows, so a name that is not among them (a typo, or a directive no generator has learnt yet)
 * is a build error naming file, line and rule T14, never a TypeError inside a generator.
 */
import * as t from '@babel/types';
import { jit, type Directive } from '../../interpreter/jit.ts';
import { reject } from '../rules.ts';

/**
 * A call `jit.<name>(...)`. (A narrower type than CallExpression, so that a false answer of
 * `isJitCall` says nothing about whether a node is some other call.)
 */
export type JitCall = t.CallExpression & { readonly callee: t.MemberExpression & { readonly property: t.Identifier } };

/** Whether `node` is a call `jit.<name>(...)` (of `name`, when given). */
export function isJitCall(node: t.Node | null | undefined, name?: string): node is JitCall {
  if (!t.isCallExpression(node)) return false;
  const callee = node.callee;
  return (
    t.isMemberExpression(callee) &&
    !callee.computed &&
    t.isIdentifier(callee.object, { name: 'jit' }) &&
    t.isIdentifier(callee.property) &&
    (name === undefined || callee.property.name === name)
  );
}

/** Whether `name` is a directive of the vocabulary. */
export function isDirective(name: string): name is Directive {
  return Object.hasOwn(jit, name);
}

/** The directive a `jit.<name>(...)` call names; rejects a name jit.ts does not define (T14). */
export function directiveOf(call: JitCall, file: string): Directive {
  const name = call.callee.property.name;
  if (!isDirective(name)) return reject(file, call, 'T14', `jit.${name} is not a directive`);
  return name;
}

/** Rejects any `jit.<name>` in `node` that is not a call of a known directive (T14). */
export function checkDirectives(node: t.Node, file: string): void {
  t.traverseFast(node, (n) => {
    if (!t.isMemberExpression(n) || n.computed || !t.isIdentifier(n.object, { name: 'jit' })) return;
    const name = t.isIdentifier(n.property) ? n.property.name : '?';
    if (!isDirective(name)) reject(file, n, 'T14', `jit.${name} is not a directive`);
  });
}
