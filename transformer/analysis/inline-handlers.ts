/**
 * Handlers small enough to emit inline: a `@jit.handler` whose body is one statement (an
 * expression or a `return`) that reads nothing but its parameters, e.g.
 *     function pushLocal(frame, sp, slot) { frame.slots[sp] = frame.slots[slot]; }
 * Tier 1 then emits `frame.slots[5] = frame.slots[2];` instead of a call, which spares V8's
 * inlining budget for the handlers that are worth a call (DESIGN.md: "short dynamic
 * statements may be emitted inline"). The handler's source stays the one definition.
 */
import { parse } from '@babel/parser';
import * as t from '@babel/types';

export interface InlinableHandler {
  readonly params: readonly string[];
  /** The single statement's expression (the returned value, for a `return`). */
  readonly expression: t.Expression;
  readonly returns: boolean;
}

export type InlinableHandlers = ReadonlyMap<string, InlinableHandler>;

/** The inlinable handlers among a module's top-level functions. */
export function readInlinableHandlers(source: string): InlinableHandlers {
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
  const found = new Map<string, InlinableHandler>();
  for (const statement of ast.program.body) {
    const decl = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
    if (!t.isFunctionDeclaration(decl) || decl.id == null) continue;
    const comments = [...(statement.leadingComments ?? []), ...(decl.leadingComments ?? [])];
    if (!comments.some((c) => c.value.includes('@jit.handler'))) continue;
    const handler = inlinable(decl);
    if (handler !== null) found.set(decl.id.name, handler);
  }
  return found;
}

function inlinable(fn: t.FunctionDeclaration): InlinableHandler | null {
  if (!fn.params.every((p) => t.isIdentifier(p)) || fn.body.body.length !== 1) return null;
  const params = fn.params.map((p) => (p as t.Identifier).name);
  const only = fn.body.body[0]!;
  const returns = t.isReturnStatement(only) && only.argument != null;
  const expression = returns
    ? (only as t.ReturnStatement).argument!
    : t.isExpressionStatement(only)
      ? only.expression
      : null;
  if (expression === null || !readsOnly(expression, params)) return null;
  return { params, expression, returns };
}

/** Whether `e` names nothing but `params` (property names aside) and assigns none of them. */
function readsOnly(e: t.Expression, params: readonly string[]): boolean {
  let ok = true;
  t.traverseFast(e, (node) => {
    if (t.isFunction(node)) ok = false;
    if (t.isAssignmentExpression(node) && t.isIdentifier(node.left)) ok = false;
    if (t.isUpdateExpression(node) && t.isIdentifier(node.argument)) ok = false;
  });
  const names = new Set<string>();
  collectNames(e, names);
  return ok && [...names].every((n) => params.includes(n));
}

/** Identifiers in expression position (not property names or type annotations). */
function collectNames(node: t.Node, names: Set<string>): void {
  if (t.isIdentifier(node)) {
    names.add(node.name);
    return;
  }
  if (t.isTSType(node) || t.isTSTypeAnnotation(node)) return;
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    if (t.isMemberExpression(node) && key === 'property' && !node.computed) continue;
    if (key === 'typeAnnotation' || key === 'typeParameters') continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) child.forEach((c) => c && typeof c === 'object' && collectNames(c as t.Node, names));
    else if (child && typeof child === 'object' && 'type' in child) collectNames(child as t.Node, names);
  }
}

/**
 * The handler's expression with its parameters replaced by `args`; null when an argument that
 * is not trivially repeatable would be evaluated twice (then the call stays a call).
 */
export function substitute(handler: InlinableHandler, args: readonly t.Expression[]): t.Expression | null {
  if (args.length !== handler.params.length) return null;
  const copy = t.cloneNode(handler.expression, true, false);
  const uses = new Map<string, number>();
  t.traverseFast(copy, (n) => {
    if (t.isIdentifier(n)) uses.set(n.name, (uses.get(n.name) ?? 0) + 1);
  });
  const ok = handler.params.every((p, i) => (uses.get(p) ?? 0) <= 1 || repeatable(args[i]!));
  if (!ok) return null;
  const replace = (n: t.Node): t.Node => {
    if (t.isIdentifier(n)) {
      const i = handler.params.indexOf(n.name);
      if (i >= 0) return t.cloneNode(args[i]!, true, false);
    }
    for (const key of t.VISITOR_KEYS[n.type] ?? []) {
      if (t.isMemberExpression(n) && key === 'property' && !n.computed) continue;
      const record = n as unknown as Record<string, unknown>;
      const child = record[key];
      if (Array.isArray(child)) record[key] = child.map((c) => (c && typeof c === 'object' ? replace(c as t.Node) : c));
      else if (child && typeof child === 'object' && 'type' in child) record[key] = replace(child as t.Node);
    }
    return n;
  };
  return replace(copy) as t.Expression;
}

/** Arguments that may be evaluated more than once: names, literals, holes, and member chains of those. */
function repeatable(e: t.Expression): boolean {
  if (t.isIdentifier(e) || t.isLiteral(e)) return true;
  if (t.isMemberExpression(e))
    return repeatable(e.object as t.Expression) && (!e.computed || repeatable(e.property as t.Expression));
  return false;
}
