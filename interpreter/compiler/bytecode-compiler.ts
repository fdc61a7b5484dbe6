/**
 * The bytecode compiler: turns one parsed SOM method (and the blocks inside it) into
 * `SomMethod`s whose code follows the opcode table.
 *
 * Statements compile to stack code; control structures with literal-block arguments are
 * inlined into jumps by `control-inliner.ts`, so that loops become backward jumps (where the
 * tiers count and traces start). Non-inlined blocks become nested block methods (`PUSH_BLOCK`).
 */
import type {
  AssignExpr,
  BlockExpr,
  Expr,
  LiteralValue,
  MethodDef,
  SendExpr,
  SourcePos,
  Statement,
} from '../parser/ast.ts';
import { Op } from './opcodes.ts';
import { MethodBuilder } from './method-builder.ts';
import { analyseStack } from './stack-depth.ts';
import { Activation, LexicalScope } from './scope.ts';
import { InlineDecider, type InlineForm } from './inline-decision.ts';
import { compileInlined } from './control-inliner.ts';
import { SomParseError } from '../errors.ts';
import type { SomClass } from '../model/class.ts';
import { GlobalSite, SendSite, SomMethod } from '../model/method.ts';
import { SomArray, SomDouble, SomString, type SomSymbol, type SomValue } from '../model/objects.ts';
import { fromBigInt } from '../model/integers.ts';

/** What the compiler needs to know about the class and the VM. */
export interface CompileContext {
  readonly file: string;
  readonly source: string;
  /** The class (or metaclass, for class-side methods) that will hold the methods. */
  readonly holder: SomClass;
  /** Field names of the receiver's layout, inherited first. */
  readonly fieldNames: readonly string[];
  symbol(text: string): SomSymbol;
  /** Whether the library defines the selector, so that inlining it cannot hide a DNU. */
  canInline(form: InlineForm): boolean;
}

/** Selectors with a small-integer fast path in the interpreter. */
const QUICK_SENDS: Readonly<Record<string, Op>> = {
  '+': Op.SEND_ADD,
  '-': Op.SEND_SUB,
  '*': Op.SEND_MUL,
  '<': Op.SEND_LT,
  '>': Op.SEND_GT,
  '<=': Op.SEND_LE,
  '>=': Op.SEND_GE,
  '=': Op.SEND_EQ,
};

export function compileMethod(def: MethodDef, ctx: CompileContext): SomMethod {
  if (def.body.kind !== 'code') throw new Error('primitive methods have no bytecode');
  const decider = new InlineDecider((form) => ctx.canInline(form));
  const activation = new Activation(def.params.length, null);
  const scope = new LexicalScope(activation, null);
  const compiler = new MethodCompiler(ctx, decider, activation, scope);
  for (const p of def.params) scope.declare(p.name);
  for (const l of def.body.locals) scope.declare(l.name);
  compiler.builder.at(def);
  compiler.methodBody(def.body.statements, def.body.endLine);
  return compiler.finish(ctx.symbol(def.selector), false, def.line);
}

/** Compiles the code of one activation (a method or a non-inlined block). */
export class MethodCompiler {
  readonly builder = new MethodBuilder();
  /** The finished method, once `finish` has run. */
  private method: SomMethod | null = null;

  constructor(
    readonly ctx: CompileContext,
    readonly decider: InlineDecider,
    readonly activation: Activation,
    public scope: LexicalScope,
  ) {}

  finish(signature: SomSymbol, isBlock: boolean, line: number): SomMethod {
    const b = this.builder;
    const stack = analyseStack(b.code, b.sites, b.fallbacks);
    const base = this.activation.numArgs + this.activation.numLocals;
    const method = new SomMethod(signature, this.ctx.holder, {
      numArgs: this.activation.numArgs,
      numLocals: this.activation.numLocals,
      maxStack: stack.maxDepth,
      stackTop: stack.depthAt.map((depth) => base + depth),
      code: b.code,
      lines: b.lines,
      columns: b.columns,
      constants: b.constants,
      globals: b.globals,
      blocks: b.blocks,
      sites: b.sites,
      fallbacks: b.fallbacks,
      slotNames: this.activation.slotNames,
      isBlock,
      sourceFile: this.ctx.file,
      line,
    });
    for (const block of b.blocks) block.outer = method;
    this.method = method;
    return method;
  }

  /**
   * Compiles a literal block of an inlined construct as a real block, after this method is
   * finished: only an inlining fallback needs it, and rarely, so it is done on first use.
   * `scope` is the lexical scope the block appeared in.
   */
  lateBlockMethod(block: BlockExpr, scope: LexicalScope): SomMethod {
    const saved = this.scope;
    this.scope = scope;
    try {
      const m = this.blockMethod(block);
      m.outer = this.method;
      return m;
    } finally {
      this.scope = saved;
    }
  }

  /** A method body: its statements, then an implicit `^self` unless it ends with a return. */
  methodBody(statements: readonly Statement[], endLine: number): void {
    for (const s of statements) this.statement(s);
    const last = statements[statements.length - 1];
    if (last === undefined || last.kind !== 'return') {
      this.builder.at({ line: endLine, column: 0 });
      this.builder.emit(Op.RETURN_SELF);
    }
  }

  /** Statements that produce a value: each but the last for effect; nil if there are none. */
  valueStatements(statements: readonly Statement[]): void {
    if (statements.length === 0) {
      this.builder.emit(Op.PUSH_NIL);
      return;
    }
    statements.forEach((s, i) => {
      if (i < statements.length - 1) this.statement(s);
      else if (s.kind === 'return') this.returnStatement(s.value);
      else this.expression(s);
    });
  }

  /** A statement whose value is not needed. */
  statement(s: Statement): void {
    if (s.kind === 'return') {
      this.returnStatement(s.value);
    } else if (s.kind === 'assign') {
      this.assignment(s, false);
    } else {
      this.expression(s);
      this.builder.emit(Op.POP);
    }
  }

  /** `^e`: from a method (or a block inlined into it) a local return, else a non-local one. */
  returnStatement(value: Expr): void {
    this.expression(value);
    this.builder.emit(this.activation.isMethod ? Op.RETURN_LOCAL : Op.RETURN_NON_LOCAL);
  }

  expression(e: Expr): void {
    switch (e.kind) {
      case 'variable':
        return this.variable(e.name, e);
      case 'literal':
        return this.literal(e.value);
      case 'assign':
        return this.assignment(e, true);
      case 'send':
        return this.send(e);
      case 'block':
        return this.closure(e);
    }
  }

  private variable(name: string, pos: SourcePos): void {
    const b = this.builder;
    switch (name) {
      case 'self':
      case 'super':
        b.emit(Op.PUSH_SELF);
        return;
      case 'nil':
        b.emit(Op.PUSH_NIL);
        return;
      case 'true':
        b.emit(Op.PUSH_TRUE);
        return;
      case 'false':
        b.emit(Op.PUSH_FALSE);
        return;
    }
    const r = this.scope.resolve(name, this.ctx.fieldNames);
    if (r.kind === 'slot') {
      if (r.ctx === 0) b.emit(Op.PUSH_LOCAL, r.slot);
      else b.emit(Op.PUSH_OUTER, r.slot, r.ctx);
    } else if (r.kind === 'field') {
      b.emit(Op.PUSH_FIELD, r.index);
    } else {
      b.at(pos);
      b.emit(Op.PUSH_GLOBAL, b.addGlobal(new GlobalSite(this.ctx.symbol(name))));
    }
  }

  private assignment(e: AssignExpr, keepValue: boolean): void {
    this.expression(e.value);
    const r = this.scope.resolve(e.name, this.ctx.fieldNames);
    const b = this.builder;
    if (r.kind === 'slot') {
      if (r.ctx === 0) b.emit(keepValue ? Op.STORE_LOCAL : Op.POP_LOCAL, r.slot);
      else b.emit(keepValue ? Op.STORE_OUTER : Op.POP_OUTER, r.slot, r.ctx);
    } else if (r.kind === 'field') {
      b.emit(keepValue ? Op.STORE_FIELD : Op.POP_FIELD, r.index);
    } else {
      throw this.error(e, `No such field or variable '${e.name}' to assign to`);
    }
  }

  private literal(value: LiteralValue): void {
    const b = this.builder;
    b.emit(Op.PUSH_CONSTANT, b.addConstant(this.literalValue(value)));
  }

  literalValue(value: LiteralValue): SomValue {
    switch (value.type) {
      case 'integer':
        return fromBigInt(value.value);
      case 'double':
        return new SomDouble(value.value);
      case 'string':
        return new SomString(value.value);
      case 'symbol':
        return this.ctx.symbol(value.value);
      case 'array':
        return new SomArray(value.elements.map((v) => this.literalValue(v)));
    }
  }

  private send(e: SendExpr): void {
    if (compileInlined(this, e)) return;
    const isSuper = e.receiver.kind === 'variable' && e.receiver.name === 'super';
    this.expression(e.receiver);
    for (const arg of e.args) this.expression(arg);
    const b = this.builder;
    b.at(e);
    const site = b.addSite(new SendSite(this.ctx.symbol(e.selector), isSuper));
    b.emit(isSuper ? Op.SUPER_SEND : (QUICK_SENDS[e.selector] ?? Op.SEND), site);
  }

  /** A block that is not inlined: a nested block method and a PUSH_BLOCK creating its closure. */
  closure(e: BlockExpr): void {
    const b = this.builder;
    b.emit(Op.PUSH_BLOCK, b.addBlock(this.blockMethod(e)));
  }

  /** Compiles `e` as a block method nested in the current scope. */
  blockMethod(e: BlockExpr): SomMethod {
    const activation = new Activation(e.params.length, this.activation);
    const scope = new LexicalScope(activation, this.scope);
    for (const p of e.params) scope.declare(p.name);
    for (const l of e.locals) scope.declare(l.name);
    const inner = new MethodCompiler(this.ctx, this.decider, activation, scope);
    inner.builder.at(e);
    inner.valueStatements(e.statements);
    inner.builder.at({ line: e.endLine, column: 0 });
    inner.builder.emit(Op.RETURN_LOCAL);
    return inner.finish(this.ctx.symbol(blockSignature(e.params.length)), true, e.line);
  }

  error(pos: SourcePos, detail: string): SomParseError {
    const sourceLine = this.ctx.source.split('\n')[pos.line - 1] ?? '';
    return new SomParseError(this.ctx.file, pos.line, pos.column, detail, sourceLine);
  }
}

/** The selector a block of this arity answers to; block methods are named after it. */
function blockSignature(params: number): string {
  return params === 0 ? 'value' : params === 1 ? 'value:' : 'value:with:';
}
