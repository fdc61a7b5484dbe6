/**
 * `--dump-traces DIR`: one text file per compiled trace, for people reading what tier 2 did
 * with a loop (LuaJIT's `-jdump`, PyPy's `PYPYLOG=jit-log-opt`).
 *
 * `DIR/trace<N>.<Class>_<selector>.pc<P>.txt` (N the trace's number, as in its JS function's
 * name and the jit log; blocks add `_block`) holds, in sections that start with `==`:
 * - the header: the loop (method, pc, source line), instruction counts, guards;
 * - the IR as recorded, then after optimisation, in the IR text form (runtime/ir/printer.ts),
 *   each instruction followed by the SOM method, pc and source line it was recorded from when
 *   the recorder gave it one (`; Loop>>run @4 (Loop.som:6)`);
 * - the side exits: per exit number, its guard and the snapshot it resumes (frames outermost
 *   first, each with method, pc, source line and slot values: `_` is a dead slot, `vN` a
 *   virtual object the exit allocates);
 * - the JavaScript the backend emitted, with the IR in comments (it differs from the running
 *   code only in comments);
 * - when the trace leaves the code cache, or the run ends: how often it was entered and each
 *   exit taken (appended then).
 * A side effect of compiling in the runtime, so it writes synchronously (like --dump-tier1).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { methodName } from '../../interpreter/backtrace.ts';
import { SomMethod } from '../../interpreter/model/method.ts';
import { printInstruction, printSnapshot, printTrace } from '../ir/printer.ts';
import type { FrameState } from '../ir/snapshot.ts';
import { snapValueText } from '../ir/syntax.ts';
import type { Trace } from '../ir/trace.ts';
import { emitTrace } from './backend.ts';
import type { HeapModel } from '../ir/descriptors.ts';
import { sourcePlace } from './bytecode-origin.ts';
import type { InstalledTrace } from './installed-trace.ts';
import { FRAME_STATE } from './som-heap.ts';

/** Writes trace dumps into one directory (made if missing). */
export class TraceDumper {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The dump file of `trace`. */
  fileOf(trace: InstalledTrace): string {
    return join(this.dir, dumpFileName(trace));
  }

  /** Writes the dump of `installed`, recorded as `recorded`. */
  write(installed: InstalledTrace, recorded: Trace, heap: HeapModel): void {
    writeFileSync(this.fileOf(installed), dumpText(installed, recorded, heap));
  }

  /** Appends the JavaScript of `root` compiled again with its inlined bridges (inlined-bridges.ts). */
  appendInlined(root: InstalledTrace, heap: HeapModel): void {
    const ids = [...root.inlined.values()].map((bridge) => `trace ${bridge.id}`).join(', ');
    const inline = { rootExits: root.ownExits, bridges: root.inlined };
    const js = emitTrace(root.compiled.trace, { id: root.id, withComments: true, heap, inline }).text;
    appendFileSync(this.fileOf(root), ['', `== JavaScript, compiled again with ${ids} inlined`, js].join('\n'));
  }

  /** Appends how often `installed` was entered and left by each exit. */
  appendExitCounts(installed: InstalledTrace): void {
    appendFileSync(this.fileOf(installed), exitCountsText(installed));
  }
}

/** `trace3.Loop_run.pc4.txt`; `:` in selectors becomes `_`, other odd characters `$` and hex. */
export function dumpFileName(installed: InstalledTrace): string {
  const method = installed.header.method;
  const home = method.homeMethod;
  const clean = (s: string): string =>
    s.replace(/[^A-Za-z0-9_]/g, (c) => (c === ':' ? '_' : `$${c.charCodeAt(0).toString(16)}`));
  const block = method.isBlock ? '_block' : '';
  return `trace${installed.id}.${clean(home.holder.name.s)}_${clean(home.signature.s)}${block}.pc${installed.header.pc}.txt`;
}

function dumpText(installed: InstalledTrace, recorded: Trace, heap: HeapModel): string {
  const { method, pc } = installed.header;
  const optimized = installed.compiled.trace;
  const guards = installed.ownExits.length;
  const js = emitTrace(optimized, { id: installed.id, withComments: true, heap }).text;
  return [
    `trace ${installed.id}: ${recorded.kind} at ${methodName(method)} @${pc} (${sourcePlace(method, pc)})`,
    `${recorded.ops.length} instructions recorded, ${optimized.ops.length} after optimisation, ${guards} guards`,
    `function ${installed.compiled.functionName}`,
    '',
    '== IR as recorded',
    printTrace(recorded, { origins: true }),
    '== IR after optimisation',
    printTrace(optimized, { origins: true }),
    '== side exits: exit -> guard -> snapshot (frames to rebuild, outermost first)',
    ...exitLines(installed),
    '',
    '== JavaScript',
    js,
  ].join('\n');
}

function exitLines(installed: InstalledTrace): string[] {
  const trace = installed.compiled.trace;
  return installed.ownExits.flatMap((exit) => [
    `exit ${exit.exitId}: ${printInstruction(trace, trace.ops[exit.guard]!).trim()}`,
    `  ${printSnapshot(trace, exit.snapshot).trim()}`,
    ...exit.snapshot.frames.map((frame) => `    ${frameText(trace, frame)}`),
  ]);
}

/** One frame of a snapshot: where it resumes, and its slots in the layout of som-heap.ts's FRAME_STATE. */
function frameText(trace: Trace, frame: FrameState): string {
  const method = trace.constants.value(frame.method);
  const where =
    method instanceof SomMethod
      ? `${methodName(method)} @${frame.pc} (${sourcePlace(method, frame.pc)})`
      : `${String(method)} @${frame.pc}`;
  const slot = (i: number): string => snapValueText(trace, frame.slots[i] ?? null);
  const slots = frame.slots.slice(FRAME_STATE.firstSlot).map((value) => snapValueText(trace, value));
  return `${where}: frame=${slot(FRAME_STATE.activation)} self=${slot(FRAME_STATE.receiver)} slots=[${slots.join(' ')}]`;
}

function exitCountsText(installed: InstalledTrace): string {
  const taken = installed.ownExits.filter((exit) => exit.taken > 0);
  return [
    '',
    `== entries and exits taken: entered ${installed.entries} times`,
    ...taken.map((exit) => `exit ${exit.exitId}: taken ${exit.taken} times`),
    '',
  ].join('\n');
}
