/**
 * Holes: the static parts of a lowered expression, placeholders `__HOLE_n__` left by the walk.
 * As emitted text (tier 1, STYLE.md §2.5), the expression is printed once, at build time, and
 * the holes become the expressions of a template literal, which the generated emitter evaluates
 * when it compiles a method (`w.lit(value)`, the one literal splicer). As code (a recorder runs
 * the operation itself), the holes are filled with their expressions.
 */
import * as t from '@babel/types';
import { generate } from '../babel-interop.ts';
import { stripTypes } from '../analysis/binding-time.ts';

/** The placeholder the walk leaves in a lowered expression for hole number `index`. */
export function placeholder(index: number): t.Identifier {
  return t.identifier(`__HOLE_${index}__`);
}

/** `lowered` with every placeholder replaced by (a copy of) its hole's expression. */
export function fillHoles(lowered: t.Expression, holes: readonly t.Expression[]): t.Expression {
  const fill = (n: t.Node): t.Node => {
    const hole = t.isIdentifier(n) ? /^__HOLE_(\d+)__$/.exec(n.name) : null;
    if (hole !== null) return t.cloneNode(holes[Number(hole[1])]!, true, false);
    for (const key of t.VISITOR_KEYS[n.type] ?? []) {
      const record = n as unknown as Record<string, unknown>;
      const child = record[key];
      if (Array.isArray(child)) record[key] = child.map((c) => (c && typeof c === 'object' ? fill(c as t.Node) : c));
      else if (child && typeof child === 'object' && 'type' in child) record[key] = fill(child as t.Node);
    }
    return n;
  };
  return fill(t.cloneNode(lowered, true, false)) as t.Expression;
}

/** `prefix + lowered + suffix` as a string literal, or a template literal whose expressions fill the holes. */
export function emittedText(
  lowered: t.Expression,
  holes: readonly t.Expression[],
  prefix: string,
  suffix: string,
): t.Expression {
  const code = prefix + generate(stripTypes(lowered), { compact: false, comments: false }).code + suffix;
  const pieces = code.split(/__HOLE_(\d+)__/);
  const quasis: t.TemplateElement[] = [];
  const exprs: t.Expression[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 0)
      quasis.push(t.templateElement({ raw: piece.replace(/[`\\]|\$\{/g, (m) => `\\${m}`) }, i === pieces.length - 1));
    else exprs.push(holes[Number(piece)]!);
  });
  return exprs.length === 0 ? t.stringLiteral(code) : t.templateLiteral(quasis, exprs);
}
