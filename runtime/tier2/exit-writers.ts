/**
 * Shared functions that leave a trace through a side exit: `writeExit6(out, code, r0, i3, ...)`
 * writes its six values into `out[0..5]` and answers `code` (the exit's number, trace-code.ts).
 *
 * Why: a guard leaves with every value its snapshot names, and a trace with inlined calls has
 * guards whose snapshots name dozens of values (every frame of every inlined level). Written
 * inline at each guard (`out[0] = r0; out[1] = i3; ...; return 4;`), these stores were most of
 * the JavaScript that traces compiled to: in CD's first iteration 1.5 of the 2.6 MB that V8
 * had to parse and compile. A call names each value once, in a third of the text. The writers
 * are made once per arity and process (V8 compiles each once, however many traces call it) and
 * handed to every trace's factory (backend.ts), which declares the ones its code calls.
 *
 * Exits with few values keep their stores inline (`SHARED_EXIT_MIN_VALUES`): as short, and
 * readable at a glance in a dump. Ends that hand values out on the hot path (`jump_trace`,
 * `finish`) always store inline.
 */

/** The fewest values an exit writes through a shared writer rather than inline stores. */
export const SHARED_EXIT_MIN_VALUES = 5;

export type ExitWriter = (out: unknown[], code: number, ...values: unknown[]) => number;

const writers: ExitWriter[] = [];

/** The name a trace's code calls the writer of `arity` values by. */
export function exitWriterName(arity: number): string {
  return `writeExit${arity}`;
}

/** The shared writer of `arity` values (made at its first use). */
export function exitWriter(arity: number): ExitWriter {
  return (writers[arity] ??= makeWriter(arity));
}

function makeWriter(arity: number): ExitWriter {
  const params = Array.from({ length: arity }, (_, i) => `v${i}`);
  const stores = params.map((param, i) => `  out[${i}] = ${param};`);
  const text = [
    `return function ${exitWriterName(arity)}(out, code, ${params.join(', ')}) {`,
    ...stores,
    '  return code;',
    '};',
  ].join('\n');
  // (The text is made of numbers and fixed identifiers only.)
  return new Function(text)() as ExitWriter;
}
