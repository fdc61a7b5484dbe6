/**
 * Trace -> text: the form traces are written in for tests, dumps and reviews (PyPy's
 * test_optimizeopt habit, LuaJIT's -jdump look). parser.ts reads exactly this text back.
 *
 * ```
 * trace loop Loop>>run
 *   in  i0 r1
 *   b2  int_lt       i0 #1000
 *   s0  snap [#Loop>>run @4 | r1 i0]
 *       guard_true   b2             ->s0
 *   i3  int_add_ovf  i0 #1          ->s0
 *       jump         i3 r1
 * ```
 *
 * One line per instruction: the values it defines (none, its result, or a label's parameters),
 * the operation, the operands, and `->sN` for the snapshot of a guard (or of a residual call: its
 * exception exit). A snapshot is printed on its own line right before the first instruction that
 * carries it: its frames (`[method @pc | slots]`, outermost first) then its virtual objects
 * (`v0=new #Double(f3)`, `v1=new [r2 #null]`).
 * Nothing here knows an operation by name: operands are printed alike whatever their kind.
 *
 * With `{ origins: true }` (trace dumps), each instruction that carries an origin ends in a
 * comment saying where it was recorded, `; Loop>>run @4 (Loop.som:6)`. The parser skips
 * comments, so that text parses to the same trace, and prints back without them.
 */
import type { Snapshot, VirtualObject } from './snapshot.ts';
import { constantText, labelText, operandText, snapValueText, valueName } from './syntax.ts';
import type { Instruction, Trace } from './trace.ts';
import { NO_SNAPSHOT, NO_VALUE } from './types.ts';

const DEFS_WIDTH = 3;
const OP_WIDTH = 12;
const ARGS_WIDTH = 14;
/** Where origin comments start, so that they line up after most instructions. */
const ORIGIN_COLUMN = 56;

export interface PrintOptions {
  /** End each instruction with a comment naming its origin, if it has one (default false). */
  readonly origins?: boolean;
}

function line(defs: string, rest: string): string {
  return `  ${defs.padEnd(DEFS_WIDTH)} ${rest}`.trimEnd();
}

export function printTrace(trace: Trace, options: PrintOptions = {}): string {
  const lines = [`trace ${trace.kind} ${labelText(trace.name)}`];
  lines.push(line('in', trace.inputs.map((ref) => valueName(trace.kindOf(ref), ref)).join(' ')));
  const snapshotsAt = snapshotLines(trace);
  for (const [index, instruction] of trace.ops.entries()) {
    for (const snapshot of snapshotsAt[index] ?? []) lines.push(printSnapshot(trace, snapshot));
    lines.push(printInstruction(trace, instruction, options));
  }
  for (const snapshot of snapshotsAt[trace.ops.length] ?? []) lines.push(printSnapshot(trace, snapshot));
  return lines.join('\n') + '\n';
}

/**
 * The snapshots to print before each instruction: each right before the first guard that
 * carries it (so a pass that copies snapshots on first use prints the same text), or at the
 * position it was taken if no guard does.
 */
function snapshotLines(trace: Trace): Snapshot[][] {
  const at: Snapshot[][] = [];
  const firstUse = new Int32Array(trace.snapshots.length).fill(-1);
  trace.ops.forEach((instruction, index) => {
    if (instruction.snapshot !== NO_SNAPSHOT && firstUse[instruction.snapshot] === -1)
      firstUse[instruction.snapshot] = index;
  });
  for (const snapshot of trace.snapshots) {
    const index = firstUse[snapshot.id] === -1 ? snapshot.position : (firstUse[snapshot.id] ?? snapshot.position);
    (at[index] ??= []).push(snapshot);
  }
  return at;
}

export function printInstruction(trace: Trace, instruction: Instruction, options: PrintOptions = {}): string {
  const defined = instruction.result === NO_VALUE ? instruction.params : [instruction.result];
  const defs = defined.map((ref) => valueName(trace.kindOf(ref), ref)).join(' ');
  const args = instruction.args.map((operand) => operandText(trace, operand)).join(' ');
  const rest =
    instruction.snapshot === NO_SNAPSHOT
      ? `${instruction.op.padEnd(OP_WIDTH)} ${args}`
      : `${instruction.op.padEnd(OP_WIDTH)} ${args.padEnd(ARGS_WIDTH)} ->s${instruction.snapshot}`;
  const text = line(defs, rest);
  if (options.origins !== true || instruction.origin === null) return text;
  return `${text.padEnd(ORIGIN_COLUMN - 1)} ; ${instruction.origin.describe()}`;
}

export function printSnapshot(trace: Trace, snapshot: Snapshot): string {
  const frames = snapshot.frames.map((frame) => {
    const slots = frame.slots.map((slot) => ` ${snapValueText(trace, slot)}`).join('');
    return `[${constantText(trace.constants.get(frame.method))} @${frame.pc} |${slots}]`;
  });
  const virtuals = snapshot.virtuals.map((virtual, i) => `v${i}=new ${printVirtual(trace, virtual)}`);
  return line(`s${snapshot.id}`, ['snap', ...frames, ...virtuals].join(' '));
}

function printVirtual(trace: Trace, virtual: VirtualObject): string {
  if (virtual.kind === 'array') return `[${virtual.items.map((item) => snapValueText(trace, item)).join(' ')}]`;
  const fields = virtual.fields.map((field) => snapValueText(trace, field)).join(' ');
  return `${constantText(trace.constants.get(virtual.descr))}(${fields})`;
}
