/**
 * The origin of trace instructions in the SOM program: the method, pc and source line of the
 * bytecode whose recording appended them. The recorder sets one on the trace builder before
 * each instruction it records (`builder.setOrigin(new BytecodeOrigin(method, pc))`, inlined
 * activations included), passes carry it over, and trace dumps print it after each IR line
 * (runtime/ir/printer.ts, trace-dump.ts). The text is made only when a dump asks for it, so
 * recording pays one small allocation per bytecode.
 */
import { basename } from 'node:path';
import { methodName, positionAt } from '../../interpreter/backtrace.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { InstructionOrigin } from '../ir/trace.ts';

export class BytecodeOrigin implements InstructionOrigin {
  constructor(
    readonly method: SomMethod,
    readonly pc: number,
  ) {}

  /** `Loop>>run @4 (Loop.som:6)`. */
  describe(): string {
    return `${methodName(this.method)} @${this.pc} (${sourcePlace(this.method, this.pc)})`;
  }
}

/** `Loop.som:6`: the file and line of the instruction at `pc` of `method`. */
export function sourcePlace(method: SomMethod, pc: number): string {
  return `${basename(method.sourceFile)}:${positionAt(method, pc).line}`;
}
