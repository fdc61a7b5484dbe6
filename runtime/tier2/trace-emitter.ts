/**
 * The state of compiling one trace to JavaScript text, and the few shapes every operation's
 * code is made of: a value definition (`const i3 = ...;`), a guard (`if (fails) { out[0] = i1;
 * ...; return 2; }`, or with many values `return writeExit6(out, 2, i1, ...);`:
 * exit-writers.ts), a call with an exception exit (`try { ... } catch (thrown) { ...; return
 * 3; }`), handing values out (finish, jump_trace), and the loop (`label`, `jump`).
 * The per-operation table (op-emitters.ts) says which shape each operation takes; backend.ts
 * walks the trace and assembles the function.
 *
 * Naming: every IR value is one local named as in the text form (`i3`, `f4`, `b5`, `r6`);
 * object constants are `k0`, `k1`... (the CodeWriter's ConstantTable); temporaries of the
 * loop's parallel assignment are `t` and the number of the value they save; the exception an
 * exception exit catches is `thrown`. Numbers, strings,
 * booleans and null enter the text only through `jsLiteral` (CodeWriter.lit), objects only
 * through the constant table, property names only after the identifier check below.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import type { CodeWriter } from '../codegen/code-writer.ts';
import type { FieldDescr, HeapModel } from '../ir/descriptors.ts';
import { snapshotRefs } from '../ir/snapshot.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import {
  type IrRef,
  type Operand,
  type SnapshotId,
  KIND_LETTER,
  NO_SNAPSHOT,
  NO_VALUE,
  exitId,
  isConstant,
} from '../ir/types.ts';
import { SHARED_EXIT_MIN_VALUES, exitWriterName } from './exit-writers.ts';
import { SideExit, TRACE_JUMP, TRACE_LIMIT } from './trace-code.ts';

/** A JS identifier that is safe after `.` (reserved words are allowed as property names). */
const PROPERTY_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Small functions the emitted code may call, declared once in the factory when used. */
const HELPERS = {
  // int_mod, exactly as runtime/ir/evaluator.ts: floored modulo with the sign of b, +0 for -0.
  intMod: 'function intMod(a, b) { const r = a % b; return (r !== 0 && r < 0 !== b < 0 ? r + b : r) + 0; }',
} as const;

export type HelperName = keyof typeof HELPERS;

/**
 * How one emitter's code sits in the function: alone (the defaults), as a root trace that
 * recompiles with bridges inlined at its exits, or as such an inlined bridge (inlined-bridges.ts).
 */
export interface EmitterPlace {
  /** Prefix of every local this emitter names: an inlined bridge's stay apart from its root's. */
  readonly prefix: string;
  /** The code its first exit returns: an inlined bridge's exits are numbered after its root's. */
  readonly codeBase: number;
  /** The exits to reuse, by number in this trace: a recompiled trace keeps what is attached to them. */
  readonly reuse: readonly SideExit[] | null;
  /** At a guard's exit, what writes the code that runs before the function leaves there, if anything does. */
  readonly atExit: ((exit: SideExit) => ((e: TraceEmitter) => void) | null) | null;
  /** How `jump_trace` is written, if not as a hand-out (an inlined bridge's: back to its root, or out). */
  readonly jumpTrace: ((e: TraceEmitter, instruction: Instruction) => void) | null;
  /** For an inlined bridge: the emitter of the root whose function it is written into. */
  readonly root: TraceEmitter | null;
}

/** How an exit's values leave: their locals, and the same as inline stores into `out`. */
interface ExitWrites {
  readonly values: readonly string[];
  readonly stores: string;
}

const ALONE: EmitterPlace = { prefix: '', codeBase: 0, reuse: null, atExit: null, jumpTrace: null, root: null };

export class TraceEmitter {
  readonly exits: SideExit[] = [];
  /** The most values any exit or end hands out through `out`. */
  outSize = 0;
  /** Whether the trace loops: it ends in `jump`, to its label or, without one, to its start. */
  readonly loops: boolean;
  /** The refs the loop's `jump` assigns: the label's params, or the inputs without a label. */
  readonly loopVariables: readonly IrRef[];
  jumpTarget: unknown = null;
  /** Index in `trace.ops` of the instruction being emitted (backend.ts moves it). */
  index = 0;
  private readonly helpers = new Set<HelperName>();
  /** Per snapshot: its live values, their locals, and the `out[i] = v;` stores of them, computed once. */
  private readonly exitWrites = new Map<SnapshotId, ExitWrites & { live: IrRef[] }>();
  /** The arities of the shared exit writers (exit-writers.ts) the code calls. */
  private readonly writers = new Set<number>();
  /** How much longer the code would be with every exit's stores inline (`CompiledTrace.sizeWithInlineStores`). */
  storesSaved = 0;

  constructor(
    readonly trace: Trace,
    readonly w: CodeWriter,
    /** Tests only: after this many jumps the loop returns TRACE_LIMIT (null: no limit). */
    readonly iterationLimit: number | null,
    /** The heap model the code will run with, if known (its inline class tests). */
    readonly heap: HeapModel | null = null,
    readonly place: EmitterPlace = ALONE,
  ) {
    this.loops = trace.ops[trace.ops.length - 1]?.op === 'jump';
    this.loopVariables = trace.label?.params ?? trace.inputs;
  }

  /** The local naming value `ref`. */
  name(ref: IrRef): string {
    return this.place.prefix + KIND_LETTER[this.trace.kindOf(ref)] + String(ref);
  }

  /** The text of an operand: its local, or its constant through the splicer. */
  operand(operand: Operand): string {
    return isConstant(operand) ? this.w.lit(this.trace.constValue(operand)) : this.name(operand);
  }

  /** The text of the i-th operand of `instruction`. */
  arg(instruction: Instruction, i: number): string {
    return this.operand(instruction.args[i] ?? this.missing(instruction, i));
  }

  /**
   * The i-th operand as the object of a property access (`x.value`, `x[i]`): a constant in
   * parentheses, since `5.value` does not parse. The optimiser may leave such an access to a
   * constant behind a guard that always fails; the code must still parse.
   */
  receiver(instruction: Instruction, i: number): string {
    const operand = instruction.args[i] ?? this.missing(instruction, i);
    return isConstant(operand) ? `(${this.operand(operand)})` : this.name(operand);
  }

  /** The texts of the operands of `instruction` from the i-th on. */
  argsFrom(instruction: Instruction, i: number): string[] {
    return instruction.args.slice(i).map((operand) => this.operand(operand));
  }

  /** The constant (descriptor, class, expected value) that is the i-th operand. */
  constArg(instruction: Instruction, i: number): unknown {
    const operand = instruction.args[i] ?? this.missing(instruction, i);
    if (!isConstant(operand)) throw new VmInternalError(`${instruction.op}: operand ${i} is not a constant`);
    return this.trace.constValue(operand);
  }

  /** The local naming an object (a constructor, a function, a class) in the constant table. */
  object(value: unknown): string {
    return this.w.constants.nameOf(value);
  }

  /** `field`'s property name, checked to be an identifier so that `r.name` is what it says. */
  property(field: FieldDescr): string {
    return this.propertyName(field.property, field.label);
  }

  /** A property name, checked to be an identifier so that `r.name` is what it says. */
  propertyName(property: string, label = property): string {
    if (!PROPERTY_NAME.test(property)) {
      throw new VmInternalError(`field ${label}: property ${JSON.stringify(property)} is not an identifier`);
    }
    return property;
  }

  /** A number, written through the splicer like every other value. */
  lit(value: number | string): string {
    return this.w.lit(value);
  }

  useHelper(helper: HelperName): string {
    this.helpers.add(helper);
    return helper;
  }

  /** Takes over what the code of `inner` (an inlined bridge's, in this function) needs. */
  adopt(inner: TraceEmitter): void {
    for (const helper of inner.helpers) this.helpers.add(helper);
    for (const arity of inner.writers) this.writers.add(arity);
    this.storesSaved += inner.storesSaved;
    this.outSize = Math.max(this.outSize, inner.outSize);
  }

  helperDeclarations(): string[] {
    const writers = [...this.writers].sort((a, b) => a - b);
    return [
      ...[...this.helpers].map((helper) => HELPERS[helper]),
      ...writers.map((arity) => `const ${exitWriterName(arity)} = X(${this.lit(arity)});`),
    ];
  }

  /** `const i3 = expression;` for the instruction's result; answers the local's name. */
  define(instruction: Instruction, expression: string): string {
    const name = this.name(instruction.result as IrRef);
    this.w.line(`const ${name} = ${expression};`);
    return name;
  }

  /** The guard `instruction` leaves through a new side exit when `failure` is true. */
  exitIf(instruction: Instruction, failure: string): void {
    const [exit, writes, code] = this.newExit(instruction, false);
    const before = this.place.atExit?.(exit) ?? null;
    if (before === null) {
      this.w.line(`if (${failure}) { ${this.leave(writes, code)} }`);
      return;
    }
    this.w.open(`if (${failure}) {`);
    before(this);
    this.w.line(this.leave(writes, code));
    this.w.close('}');
  }

  /**
   * `call` (an expression), whose result (if any) defines the instruction's value, leaving
   * through a new exception exit if it throws: `let r5; try { r5 = k0(i3); } catch (thrown) {
   * out[0] = i1; out[1] = thrown; return 2; }`. The exception follows the live values in `out`.
   */
  callOrExit(instruction: Instruction, call: string): void {
    const [exit, writes, code] = this.newExit(instruction, true);
    this.outSize = Math.max(this.outSize, exit.live.length + 1);
    const thrown = {
      values: [...writes.values, 'thrown'],
      stores: `${writes.stores}out[${this.lit(exit.live.length)}] = thrown; `,
    };
    const result = instruction.result === NO_VALUE ? null : this.name(instruction.result);
    if (result !== null) this.w.line(`let ${result};`);
    const body = result === null ? `${call};` : `${result} = ${call};`;
    this.w.line(`try { ${body} } catch (thrown) { ${this.leave(thrown, code)} }`);
  }

  /**
   * A new side exit through the snapshot of `instruction` (or the one it had: `place.reuse`),
   * what writes its live values, and the code the function returns for it.
   */
  private newExit(instruction: Instruction, onThrow: boolean): [SideExit, ExitWrites, number] {
    if (instruction.snapshot === NO_SNAPSHOT) throw new VmInternalError(`${instruction.op} has no snapshot`);
    const writes = this.exitWritesOf(instruction.snapshot);
    const snapshot = this.trace.snapshot(instruction.snapshot);
    const number = this.exits.length;
    const exit =
      this.place.reuse?.[number] ??
      new SideExit(exitId(number), snapshot, this.index, writes.live, onThrow, this.trace.constants);
    this.exits.push(exit);
    return [exit, writes, this.place.codeBase + number];
  }

  /**
   * The statement that leaves through an exit: its values into `out[0..]`, then `return code`;
   * through a shared writer when they are many (exit-writers.ts).
   */
  private leave({ values, stores }: ExitWrites, code: number): string {
    const inline = `${stores}return ${this.lit(code)};`;
    if (values.length < SHARED_EXIT_MIN_VALUES) return inline;
    this.writers.add(values.length);
    const call = `return ${exitWriterName(values.length)}(out, ${this.lit(code)}, ${values.join(', ')});`;
    this.storesSaved += inline.length - call.length;
    return call;
  }

  /** `jump_trace`: the values go out to the target's trace (or as the place says). */
  jumpTrace(instruction: Instruction): void {
    if (this.place.jumpTrace !== null) {
      this.place.jumpTrace(this, instruction);
      return;
    }
    this.jumpTarget = this.constArg(instruction, 0);
    this.handOut(instruction.args.slice(1), TRACE_JUMP);
  }

  private exitWritesOf(id: SnapshotId): ExitWrites & { live: IrRef[] } {
    let writes = this.exitWrites.get(id);
    if (writes === undefined) {
      const live = snapshotRefs(this.trace.snapshot(id));
      this.outSize = Math.max(this.outSize, live.length);
      const values = live.map((ref) => this.name(ref));
      writes = { live, values, stores: this.outWrites(values) };
      this.exitWrites.set(id, writes);
    }
    return writes;
  }

  private outWrites(values: readonly string[]): string {
    return values.map((value, i) => `out[${this.lit(i)}] = ${value}; `).join('');
  }

  /** Leaves the trace with `code`, the values of `operands` in `out`. */
  handOut(operands: readonly Operand[], code: number): void {
    this.outSize = Math.max(this.outSize, operands.length);
    const values = operands.map((operand) => this.operand(operand));
    this.w.line(`${this.outWrites(values)}return ${this.lit(code)};`);
  }

  /** Opens the loop: `loop: for (;;) {`, with the iteration counter when limited. */
  openLoop(): void {
    if (this.iterationLimit !== null) this.w.line(`let iterations = ${this.lit(0)};`);
    this.w.open('loop: for (;;) {');
  }

  /** The label: its params start as its operands; then the loop. */
  label(instruction: Instruction): void {
    instruction.params.forEach((param, i) => {
      this.w.line(`${this.loops ? 'let' : 'const'} ${this.name(param)} = ${this.arg(instruction, i)};`);
    });
    if (this.loops) this.openLoop();
  }

  /** The jump: the loop variables take the jump's operands (all at once), and the loop goes on. */
  jump(instruction: Instruction): void {
    if (this.iterationLimit !== null) {
      this.w.open(`if (++iterations >= ${this.lit(this.iterationLimit)}) {`);
      this.handOut(instruction.args, TRACE_LIMIT);
      this.w.close('}');
    }
    this.parallelAssign(instruction.args);
    this.w.close('}');
  }

  /**
   * `loopVariables[j] = args[j]` for every j, as if at once: a variable that a later assignment
   * reads after an earlier one has overwritten it is saved in a temporary first.
   */
  private parallelAssign(args: readonly Operand[]): void {
    const targets = this.loopVariables;
    const pending = targets.map((target, j) => (args[j] === target ? null : target));
    const saved = new Set<IrRef>();
    args.forEach((arg, j) => {
      const k = isConstant(arg) ? -1 : pending.indexOf(arg);
      if (k >= 0 && k < j) saved.add(arg as IrRef);
    });
    for (const ref of saved) this.w.line(`const t${ref} = ${this.name(ref)};`);
    pending.forEach((target, j) => {
      if (target === null) return;
      const arg = args[j] as Operand;
      const value = saved.has(arg as IrRef) ? `t${arg}` : this.operand(arg);
      this.w.line(`${this.name(target)} = ${value};`);
    });
  }

  private missing(instruction: Instruction, i: number): never {
    throw new VmInternalError(`${instruction.op} has no operand ${i}`);
  }
}
