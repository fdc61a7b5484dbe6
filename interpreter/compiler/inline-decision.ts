/**
 * Which sends the compiler inlines into jumps (SOM.md §3.11), as pure functions of the AST.
 *
 * A send is inlined when its selector is a control structure the library defines, the required
 * arguments (and, for loops, the receiver) are literal blocks of the right arity, and no
 * variable declared by one of those blocks is captured by a closure nested inside it. The last
 * rule keeps semantics exact without per-iteration environments: an inlined block's variables
 * live in the enclosing frame, so a closure capturing them would see later iterations' values
 * instead of its own (SOM.md: each iteration binds a fresh parameter).
 */
import type { BlockExpr, Expr, SendExpr, Statement } from '../parser/ast.ts';

/** How each inlinable selector's receiver and arguments must look. */
interface InlineShape {
  /** The receiver must be a literal block with no parameters (loops). */
  readonly receiverBlock: boolean;
  /** Per argument: the literal block's parameter count, or 'any' for an ordinary expression. */
  readonly args: readonly (number | 'any')[];
}

export const INLINE_SHAPES = {
  'ifTrue:': { receiverBlock: false, args: [0] },
  'ifFalse:': { receiverBlock: false, args: [0] },
  'ifTrue:ifFalse:': { receiverBlock: false, args: [0, 0] },
  'ifFalse:ifTrue:': { receiverBlock: false, args: [0, 0] },
  'and:': { receiverBlock: false, args: [0] },
  'or:': { receiverBlock: false, args: [0] },
  'whileTrue:': { receiverBlock: true, args: [0] },
  'whileFalse:': { receiverBlock: true, args: [0] },
  'to:do:': { receiverBlock: false, args: ['any', 1] },
  'downTo:do:': { receiverBlock: false, args: ['any', 1] },
  'ifNil:': { receiverBlock: false, args: [0] },
  'ifNotNil:': { receiverBlock: false, args: [0] },
  'ifNil:ifNotNil:': { receiverBlock: false, args: [0, 0] },
  'ifNotNil:ifNil:': { receiverBlock: false, args: [0, 0] },
} as const satisfies Record<string, InlineShape>;

export type InlineForm = keyof typeof INLINE_SHAPES;

export function isInlineForm(selector: string): selector is InlineForm {
  return Object.hasOwn(INLINE_SHAPES, selector);
}

/** Decides inlining for the sends of one compilation; answers are memoised per send node. */
export class InlineDecider {
  private readonly memo = new WeakMap<SendExpr, readonly BlockExpr[] | null>();

  constructor(private readonly allowed: (form: InlineForm) => boolean) {}

  /** The literal blocks that `send` inlines, or null if it stays a real send. */
  inlinedBlocks(send: SendExpr): readonly BlockExpr[] | null {
    let answer = this.memo.get(send);
    if (answer === undefined) {
      answer = this.decide(send);
      this.memo.set(send, answer);
    }
    return answer;
  }

  private decide(send: SendExpr): readonly BlockExpr[] | null {
    const selector = send.selector;
    if (!isInlineForm(selector) || !this.allowed(selector)) return null;
    if (send.receiver.kind === 'variable' && send.receiver.name === 'super') return null;
    const shape: InlineShape = INLINE_SHAPES[selector];
    const blocks: BlockExpr[] = [];
    if (shape.receiverBlock) {
      if (!isBlockWithParams(send.receiver, 0)) return null;
      blocks.push(send.receiver);
    }
    for (let i = 0; i < shape.args.length; i++) {
      const want = shape.args[i]!;
      const arg = send.args[i]!;
      if (want === 'any') continue;
      if (!isBlockWithParams(arg, want)) return null;
      blocks.push(arg);
    }
    return blocks.some((b) => this.capturesOwnVariables(b)) ? null : blocks;
  }

  /** Whether a closure nested in `block` (not inlined itself) refers to `block`'s variables. */
  private capturesOwnVariables(block: BlockExpr): boolean {
    const own = new Set([...block.params, ...block.locals].map((d) => d.name));
    if (own.size === 0) return false;
    return block.statements.some((s) => this.closureCaptures(s, own));
  }

  /** Walks code that runs in the same activation, checking every closure created there. */
  private closureCaptures(node: Statement, names: ReadonlySet<string>): boolean {
    switch (node.kind) {
      case 'variable':
      case 'literal':
        return false;
      case 'return':
      case 'assign':
        return this.closureCaptures(node.value, names);
      case 'block':
        return references(node, names);
      case 'send': {
        const inlined = this.inlinedBlocks(node);
        const parts: Expr[] = [node.receiver, ...node.args];
        return parts.some((part) =>
          part.kind === 'block' && inlined?.includes(part)
            ? part.statements.some((s) => this.closureCaptures(s, without(names, part)))
            : this.closureCaptures(part, names),
        );
      }
    }
  }
}

function isBlockWithParams(e: Expr, params: number): e is BlockExpr {
  return e.kind === 'block' && e.params.length === params;
}

/** `names` minus what `block` declares (its declarations shadow them inside it). */
function without(names: ReadonlySet<string>, block: BlockExpr): ReadonlySet<string> {
  const declared = [...block.params, ...block.locals].map((d) => d.name);
  if (!declared.some((n) => names.has(n))) return names;
  return new Set([...names].filter((n) => !declared.includes(n)));
}

/** Whether any of `names` occurs free anywhere inside `node`. */
function references(node: Statement, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  switch (node.kind) {
    case 'variable':
      return names.has(node.name);
    case 'literal':
      return false;
    case 'assign':
      return names.has(node.name) || references(node.value, names);
    case 'return':
      return references(node.value, names);
    case 'send':
      return references(node.receiver, names) || node.args.some((a) => references(a, names));
    case 'block': {
      const inner = without(names, node);
      return node.statements.some((s) => references(s, inner));
    }
  }
}
