/**
 * The restricted-subset rules that keep the interpreter transformable (DESIGN.md, Directives).
 * Each rule has an id and a text, defined once here; the transformer rejects a breach with a
 * `TransformError` naming file, line, column and the rule, so the interpreter's author sees
 * their own line (STYLE.md §2.4).
 */

export const RULES = {
  T1: {
    id: 'no-try-in-handler',
    text: 'no try statement in the dispatch loop, handlers or traced helpers (non-local return is handled around activations)',
  },
  T2: { id: 'no-closure-in-handler', text: 'no function or arrow function created per operation' },
  T3: { id: 'no-dynamic-property-name', text: 'no property accessed by a computed string name' },
  T4: {
    id: 'pc-assigned-last',
    text: 'the pc is assigned only as the last action of a path through a case, and not read after',
  },
  T5: { id: 'ct-reads-static', text: 'jit.ct(...) may only read the green variables and static locals' },
  T6: {
    id: 'case-statement-kinds',
    text: 'a case body uses only declarations, expressions, if/else, return and break',
  },
  T7: {
    id: 'annotated-calls',
    text: 'a function called from a case must be annotated @jit.handler, @jit.residual or @jit.elidable',
  },
  T8: { id: 'directive-as-statement', text: 'jit.dispatchLoop and jit.backEdge must be statements of their own' },
  T9: {
    id: 'exported-static-helper',
    text: 'a function used inside jit.ct(...) must be exported so the generated compiler can call it',
  },
  T10: {
    id: 'pc-advance-is-length',
    text: "a path that goes on to the next instruction advances pc with `pc += N`, N the instruction's length in the opcode table",
  },
  T11: {
    id: 'dispatch-covers-opcodes',
    text: 'the dispatch switch has exactly one case for each opcode of the opcode table',
  },
  T12: { id: 'case-moves-pc', text: 'every path through a case returns or assigns pc' },
  T13: {
    id: 'annotated-helpers',
    text: 'a function called from a handler or a traced helper is a module-level function annotated with exactly one of @jit.handler (traced), @jit.residual or @jit.elidable',
  },
  T14: { id: 'known-directive', text: 'jit.<name> names a directive defined in interpreter/jit.ts' },
  T15: {
    id: 'traced-statement-kinds',
    text: 'a handler or traced helper takes plain parameters and uses only declarations, expressions, if, switch, return and throw (no loops)',
  },
  T16: {
    id: 'traced-primitives',
    text: 'the list of traced primitives is an array of names of module-level functions annotated @jit.handler',
  },
} as const satisfies Record<string, { id: string; text: string }>;

export type RuleKey = keyof typeof RULES;

/** A breach of a rule: our interpreter source is not transformable (a build-time error). */
export class TransformError extends Error {
  /** The report, `file:line:column [rule id] detail: rule text` (Babel prefixes `message`). */
  readonly report: string;

  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly rule: RuleKey,
    detail: string,
  ) {
    const report = `${file}:${line}:${column} [${rule} ${RULES[rule].id}] ${detail}: ${RULES[rule].text}`;
    super(report);
    this.report = report;
    this.name = 'TransformError';
  }
}

/** Throws a TransformError for `node` (a Babel node with a location). */
export function reject(
  file: string,
  node: { loc?: { start: { line: number; column: number } } | null },
  rule: RuleKey,
  detail: string,
): never {
  const start = node.loc?.start ?? { line: 0, column: 0 };
  throw new TransformError(file, start.line, start.column + 1, rule, detail);
}
