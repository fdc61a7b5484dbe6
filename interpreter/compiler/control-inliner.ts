/**
 * Inlining of control structures into jumps (SOM.md §3.11).
 *
 * `inline-decision.ts` says which sends are inlined; this module emits their code. Every
 * inlined form behaves like the send it replaces: it answers the same value, keeps `^` a return
 * from the home method, resets the inlined block's locals to nil on each entry, and when the
 * receiver is not what the inlined code handles (an `ifTrue:` to a non-Boolean, a `to:do:` on a
 * non-number) an `InlineFallback` makes the real send with the literal blocks turned into
 * closures, then continues after the construct with the send's result.
 */
import type { BlockExpr, SendExpr } from '../parser/ast.ts';
import { Op } from './opcodes.ts';
import { Label } from './method-builder.ts';
import { LexicalScope } from './scope.ts';
import type { InlineForm } from './inline-decision.ts';
import type { MethodCompiler } from './bytecode-compiler.ts';
import { InlineFallback, LazyBlockMethod, SendSite } from '../model/method.ts';

/** Emits `send` inlined if the decider allows it; false if it must stay a real send. */
export function compileInlined(c: MethodCompiler, send: SendExpr): boolean {
  const blocks = c.decider.inlinedBlocks(send);
  if (blocks === null) return false;
  c.builder.at(send);
  const form = send.selector as InlineForm;
  switch (form) {
    case 'ifTrue:':
    case 'ifFalse:':
      conditional(c, send, form === 'ifTrue:' ? Op.JUMP_IF_FALSE : Op.JUMP_IF_TRUE, blocks[0]!, null);
      return true;
    case 'ifTrue:ifFalse:':
    case 'ifFalse:ifTrue:':
      conditional(c, send, form === 'ifTrue:ifFalse:' ? Op.JUMP_IF_FALSE : Op.JUMP_IF_TRUE, blocks[0]!, blocks[1]!);
      return true;
    case 'and:':
      conditional(c, send, Op.JUMP_IF_FALSE, blocks[0]!, Op.PUSH_FALSE);
      return true;
    case 'or:':
      conditional(c, send, Op.JUMP_IF_TRUE, blocks[0]!, Op.PUSH_TRUE);
      return true;
    case 'whileTrue:':
    case 'whileFalse:':
      whileLoop(c, form === 'whileTrue:', blocks[0]!, blocks[1]!);
      return true;
    case 'to:do:':
    case 'downTo:do:':
      toDo(c, send, blocks[0]!, form === 'downTo:do:');
      return true;
    case 'ifNil:':
      ifNil(c, send, blocks[0]!);
      return true;
    case 'ifNotNil:':
      nilTest(c, send, Op.JUMP_IF_NIL, blocks[0]!, null);
      return true;
    case 'ifNil:ifNotNil:':
      nilTest(c, send, Op.JUMP_IF_NOT_NIL, blocks[0]!, blocks[1]!);
      return true;
    case 'ifNotNil:ifNil:':
      nilTest(c, send, Op.JUMP_IF_NIL, blocks[0]!, blocks[1]!);
      return true;
  }
}

/**
 * `r ifTrue: [a]`, `r ifTrue: [a] ifFalse: [b]`, `r and: [a]`, ...:
 *   <r>; JUMP_IF_x else; <a>; JUMP end; else: <b> | PUSH_NIL | PUSH_TRUE/FALSE; end:
 */
function conditional(
  c: MethodCompiler,
  send: SendExpr,
  jump: Op,
  then: BlockExpr,
  otherwise: BlockExpr | Op | null,
): void {
  const b = c.builder;
  const elseLabel = new Label();
  const end = new Label();
  c.expression(send.receiver);
  const fallbackBlocks = typeof otherwise === 'object' && otherwise !== null ? [then, otherwise] : [then];
  b.emit(jump, elseLabel, fallback(c, send.selector, fallbackBlocks, end));
  inlineBody(c, then);
  b.emit(Op.JUMP, end);
  b.bind(elseLabel);
  if (otherwise === null) b.emit(Op.PUSH_NIL);
  else if (typeof otherwise === 'object') inlineBody(c, otherwise);
  else b.emit(otherwise);
  b.bind(end);
}

/**
 * `[cond] whileTrue: [body]`:
 *   loop: <cond>; JUMP_IF_FALSE exit; <body>; POP; JUMP_BACKWARD loop; exit: PUSH_NIL; end:
 * A non-Boolean condition falls back to sending it `ifFalse:` (for whileTrue:) with an empty
 * block, which is where the library's loop would fail, and the loop answers that send's result.
 */
function whileLoop(c: MethodCompiler, whileTrue: boolean, cond: BlockExpr, body: BlockExpr): void {
  const b = c.builder;
  const loop = new Label();
  const exit = new Label();
  const end = new Label();
  b.bind(loop);
  inlineBody(c, cond);
  const empty: BlockExpr = { ...cond, params: [], locals: [], statements: [] };
  const test = whileTrue ? 'ifFalse:' : 'ifTrue:';
  b.emit(whileTrue ? Op.JUMP_IF_FALSE : Op.JUMP_IF_TRUE, exit, fallback(c, test, [empty], end));
  inlineBody(c, body);
  b.emit(Op.POP);
  b.emit(Op.JUMP_BACKWARD, loop);
  b.bind(exit);
  b.emit(Op.PUSH_NIL);
  b.bind(end);
}

/**
 * `r to: l do: [:i | body]` (answers r; the limit is evaluated once; each iteration binds a
 * fresh `i`, so assigning to it does not disturb the hidden counter):
 *   <r>; <l>; TO_DO_PREP counter limit; loop: TO_DO_TEST counter limit end;
 *   PUSH_LOCAL counter; POP_LOCAL i; <body>; POP; TO_DO_INC counter; JUMP_BACKWARD loop; end:
 * `r downTo: l do: [:i | body]` (`down`) is the same with DOWN_TO_TEST (counter >= limit) and
 * TO_DO_DEC, as the library's `downTo:do:` counts.
 */
function toDo(c: MethodCompiler, send: SendExpr, body: BlockExpr, down: boolean): void {
  const b = c.builder;
  const loop = new Label();
  const end = new Label();
  c.expression(send.receiver);
  c.expression(send.args[0]!);
  const counter = c.scope.hidden('i');
  const limit = c.scope.hidden('limit');
  b.emit(Op.TO_DO_PREP, counter, limit, fallback(c, send.selector, [body], end));
  b.bind(loop);
  b.emit(down ? Op.DOWN_TO_TEST : Op.TO_DO_TEST, counter, limit, end);
  inlineBody(c, body, counter);
  b.emit(Op.POP);
  b.emit(down ? Op.TO_DO_DEC : Op.TO_DO_INC, counter);
  b.emit(Op.JUMP_BACKWARD, loop);
  b.bind(end);
}

/**
 * `r ifNil: [a]` answers r unless it is nil: <r>; DUP; JUMP_IF_NOT_NIL end; POP; <a>; end:
 * The nil tests are inlined for nil and for every class that inherits Object's definition; a
 * class that overrides the selector gets the real send (the fallback drops the kept copy).
 */
function ifNil(c: MethodCompiler, send: SendExpr, body: BlockExpr): void {
  const b = c.builder;
  const end = new Label();
  c.expression(send.receiver);
  b.emit(Op.DUP);
  b.emit(Op.JUMP_IF_NOT_NIL, end, fallback(c, send.selector, [body], end, 1));
  b.emit(Op.POP);
  inlineBody(c, body);
  b.bind(end);
}

/** `ifNotNil:` and the two-armed nil tests: <r>; JUMP_IF_x other; <first>; JUMP end; other: <second> | PUSH_NIL; end: */
function nilTest(c: MethodCompiler, send: SendExpr, jump: Op, first: BlockExpr, second: BlockExpr | null): void {
  const b = c.builder;
  const other = new Label();
  const end = new Label();
  c.expression(send.receiver);
  b.emit(jump, other, fallback(c, send.selector, second === null ? [first] : [first, second], end));
  inlineBody(c, first);
  b.emit(Op.JUMP, end);
  b.bind(other);
  if (second === null) b.emit(Op.PUSH_NIL);
  else inlineBody(c, second);
  b.bind(end);
}

/**
 * Emits a literal block's statements in the current activation, leaving its value on the stack.
 * Its parameters and locals get fresh slots in a new lexical scope; locals start nil on every
 * entry. For to:do:, the parameter is first loaded from `paramSource`.
 */
function inlineBody(c: MethodCompiler, block: BlockExpr, paramSource?: number): void {
  const b = c.builder;
  const outer = c.scope;
  c.scope = new LexicalScope(c.activation, outer);
  for (const p of block.params) {
    const slot = c.scope.declare(p.name);
    if (paramSource !== undefined) {
      b.emit(Op.PUSH_LOCAL, paramSource);
      b.emit(Op.POP_LOCAL, slot);
    }
  }
  for (const l of block.locals) {
    b.emit(Op.PUSH_NIL);
    b.emit(Op.POP_LOCAL, c.scope.declare(l.name));
  }
  c.valueStatements(block.statements);
  c.scope = outer;
}

/** Registers how to make the real send when the inlined code cannot handle its receiver. */
function fallback(
  c: MethodCompiler,
  selector: string,
  blocks: readonly BlockExpr[],
  resume: Label,
  discard = 0,
): number {
  const scope = c.scope;
  const lazy = blocks.map((block) => new LazyBlockMethod(() => c.lateBlockMethod(block, scope)));
  const site = new SendSite(c.ctx.symbol(selector), false);
  const record = new InlineFallback(site, lazy, discard);
  resume.whenBound((pc) => (record.resumePc = pc));
  return c.builder.addFallback(record);
}
