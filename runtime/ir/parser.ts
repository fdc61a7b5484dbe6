/**
 * Text -> Trace: reads the form printer.ts writes, so that tests can state traces as text
 * (trace before, trace after) and `print(parse(s)) === s` holds for printed text.
 *
 * Object constants are named by label; the caller gives the registry that maps each label to
 * its value (descriptors, classes, methods). Value and snapshot numbers in the text only name
 * things: the parser numbers values and snapshots in order of definition, as the builder does,
 * so hand-written text may number as it likes and prints back renumbered. `;` starts a comment.
 *
 * Every line goes through the TraceBuilder, after the same checks (signature.ts, snapshot.ts)
 * have been made here to report a mistake as an `IrParseError` with its line and column and
 * what was expected, never as a JS stack.
 */
import { isIrOp, type IrOp, OPS } from './ops.ts';
import { argsProblem, resultKind, snapshotPresenceProblem } from './signature.ts';
import {
  FrameState,
  Snapshot,
  type SnapValue,
  VirtualArray,
  type VirtualObject,
  VirtualStruct,
  snapshotProblem,
  virtualRef,
} from './snapshot.ts';
import { DEAD_TEXT, WORD_END, parseConstantWord, parseIndexedName, parseValueName, valueName } from './syntax.ts';
import { TRACE_KINDS, type Trace, type TraceKind } from './trace.ts';
import { TraceBuilder } from './trace-builder.ts';
import { type ConstRef, type Operand, type SnapshotId, NO_SNAPSHOT, snapshotId } from './types.ts';

export class IrParseError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
    /** The offending line of text. */
    readonly sourceLine: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'IrParseError';
  }
}

/** Label -> value of every object constant the text may name. */
export type LabelRegistry = ReadonlyMap<string, unknown>;

interface Word {
  readonly text: string;
  readonly column: number;
}

/** One line of text being read: the position of the next character, and error reporting. */
class LineCursor {
  private pos = 0;

  constructor(
    readonly text: string,
    readonly lineNo: number,
  ) {}

  get column(): number {
    this.skipSpace();
    return this.pos + 1;
  }

  /** No more tokens on the line (a `;` comment counts as its end). */
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length || this.text[this.pos] === ';';
  }

  lookingAt(prefix: string): boolean {
    return !this.atEnd() && this.text.startsWith(prefix, this.pos);
  }

  take(prefix: string): boolean {
    if (!this.lookingAt(prefix)) return false;
    this.pos += prefix.length;
    return true;
  }

  expect(prefix: string, what: string = `'${prefix}'`): void {
    if (!this.take(prefix)) this.fail(what);
  }

  /** Reads the word `keyword` or fails expecting `what`. */
  expectWord(keyword: string, what: string): void {
    const word = this.word();
    if (word.text !== keyword) this.fail(what, word.column);
  }

  /** The next bare word (up to a space or punctuation); empty if punctuation comes first. */
  word(): Word {
    const column = this.column;
    const start = this.pos;
    if (!this.atEnd()) while (this.pos < this.text.length && !WORD_END.test(this.text[this.pos] ?? ' ')) this.pos++;
    return { text: this.text.slice(start, this.pos), column };
  }

  /** The body of a `'...'` label (`''` stands for a quote); the cursor is on the opening quote. */
  quoted(): string {
    const column = this.column;
    let body = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      if (this.text[i] !== "'") body += this.text[i];
      else if (this.text[i + 1] === "'") body += this.text[++i];
      else {
        this.pos = i + 1;
        return body;
      }
    }
    return this.error('a closing quote', column, 'end of line');
  }

  /** Throws "expected X, found Y" at `column` (default: the next token). */
  fail(expected: string, column: number = this.column): never {
    const rest = this.text.slice(column - 1).trimStart();
    const found = rest === '' || rest.startsWith(';') ? 'end of line' : `'${/^\S{1,24}/.exec(rest)?.[0] ?? ''}'`;
    return this.error(expected, column, found);
  }

  error(expected: string, column: number, found: string): never {
    throw this.problem(`expected ${expected}, found ${found}`, column);
  }

  problem(detail: string, column: number): IrParseError {
    return new IrParseError(this.lineNo, column, detail, this.text);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }
}

/** Parses a trace written in the IR text form; throws IrParseError on malformed text. */
export function parseTrace(text: string, registry: LabelRegistry): Trace {
  return new TraceParser(registry).parse(text);
}

class TraceParser {
  private builder: TraceBuilder | null = null;
  /** Value number in the text -> operand in the trace being built. */
  private readonly values = new Map<number, Operand>();
  /** Snapshot number in the text -> snapshot id. */
  private readonly snapshotIds = new Map<number, SnapshotId>();

  constructor(private readonly registry: LabelRegistry) {}

  parse(text: string): Trace {
    const lines = text.split(/\r\n|\n|\r/);
    for (const [i, source] of lines.entries()) {
      const cursor = new LineCursor(source, i + 1);
      if (cursor.atEnd()) continue;
      if (this.builder === null) this.builder = this.header(cursor);
      else this.line(cursor, this.builder);
    }
    if (this.builder === null) {
      throw new IrParseError(lines.length, 1, "expected a trace header 'trace <kind> <name>', found end of text", '');
    }
    return this.builder.finish();
  }

  private header(c: LineCursor): TraceBuilder {
    c.expectWord('trace', "a trace header 'trace <kind> <name>'");
    const kind = c.word();
    if (!(TRACE_KINDS as readonly string[]).includes(kind.text))
      c.fail(`a trace kind (${TRACE_KINDS.join(', ')})`, kind.column);
    const name = this.label(c, 'a trace name');
    if (!c.atEnd()) c.fail('end of line');
    return new TraceBuilder(kind.text as TraceKind, name, undefined);
  }

  private line(c: LineCursor, b: TraceBuilder): void {
    const first = c.word();
    const snapshot = parseIndexedName(first.text, 's');
    if (first.text === 'in') this.inputs(c, b, first);
    else if (snapshot !== null) this.snapshot(c, b, snapshot, first);
    else this.instruction(c, b, first);
  }

  private inputs(c: LineCursor, b: TraceBuilder, first: Word): void {
    if (b.length > 0 || b.valueCount > 0) throw c.problem("the 'in' line must come first, once", first.column);
    while (!c.atEnd()) {
      const word = c.word();
      const name = parseValueName(word.text);
      if (name === null) c.fail('an input name such as i0 or r1', word.column);
      this.define(c, word, b.input(name.kind));
    }
  }

  private define(c: LineCursor, word: Word, operand: Operand): void {
    const name = parseValueName(word.text);
    if (name === null || this.values.has(name.number)) throw c.problem(`${word.text} is already defined`, word.column);
    this.values.set(name.number, operand);
  }

  private instruction(c: LineCursor, b: TraceBuilder, first: Word): void {
    const defs: Word[] = [];
    let word = first;
    while (!isIrOp(word.text) && parseValueName(word.text) !== null) {
      defs.push(word);
      word = c.word();
    }
    if (!isIrOp(word.text))
      c.fail(defs.length === 0 ? 'a value name, a snapshot or an operation' : 'an operation', word.column);
    const op = word.text;
    const args: Operand[] = [];
    const columns: number[] = [];
    while (!c.atEnd() && !c.lookingAt('->')) {
      columns.push(c.column);
      args.push(this.operand(c, b));
    }
    const snapshot = this.instructionSnapshot(c, op);
    const problem = argsProblem(op, args, b);
    if (problem !== null) throw c.problem(`${op}: ${problem.message}`, columns[problem.operand] ?? word.column);
    this.checkDefs(c, b, op, args, defs, word);
    const instruction = b.append(op, args, snapshot);
    const defined = OPS[op].result === 'params' ? instruction.params : [instruction.result as Operand];
    for (const [i, def] of defs.entries()) this.define(c, def, defined[i] as Operand);
  }

  private instructionSnapshot(c: LineCursor, op: IrOp): SnapshotId | typeof NO_SNAPSHOT {
    const column = c.column;
    const has = c.take('->');
    const problem = snapshotPresenceProblem(op, has);
    if (problem !== null) {
      if (!has) c.fail(`->sN: ${op} is a guard and carries a snapshot`);
      throw c.problem(problem, column);
    }
    if (!has) return NO_SNAPSHOT;
    const word = c.word();
    const number = parseIndexedName(word.text, 's');
    if (number === null) c.fail('a snapshot name such as s0', word.column);
    const id = this.snapshotIds.get(number);
    if (id === undefined) throw c.problem(`snapshot ${word.text} is not defined`, word.column);
    if (!c.atEnd()) c.fail('end of line');
    return id;
  }

  /** The names before the operation must be the values it defines, each of the right kind. */
  private checkDefs(c: LineCursor, b: TraceBuilder, op: IrOp, args: Operand[], defs: Word[], opWord: Word): void {
    const kind = resultKind(op, args, b);
    const kinds = kind === 'params' ? args.map((arg) => b.kindOf(arg)) : kind === null ? [] : [kind];
    if (defs.length !== kinds.length) {
      const defines = kinds.length === 0 ? 'no value' : `${kinds.length} value(s) (${kinds.join(' ')})`;
      const found = defs.length === 0 ? 'no name' : defs.map((def) => def.text).join(' ');
      throw c.problem(`${op} defines ${defines}, found ${found} before it`, defs[0]?.column ?? opWord.column);
    }
    for (const [i, def] of defs.entries()) {
      const name = parseValueName(def.text);
      if (name !== null && name.kind !== kinds[i]) {
        throw c.problem(`${op} defines a value of kind ${kinds[i]}, named ${def.text}`, def.column);
      }
    }
  }

  private operand(c: LineCursor, b: TraceBuilder): Operand {
    return c.lookingAt('#') ? this.constant(c, b) : this.value(c, b, c.word());
  }

  /** The value a name such as `i3` stands for. */
  private value(c: LineCursor, b: TraceBuilder, word: Word): Operand {
    const name = parseValueName(word.text);
    if (name === null) c.fail('an operand (a value such as i3 or a constant such as #1)', word.column);
    const operand = this.values.get(name.number);
    if (operand === undefined) throw c.problem(`${word.text} is not defined`, word.column);
    const kind = b.kindOf(operand);
    if (kind !== name.kind) throw c.problem(`${word.text} is a ${kind}: ${valueName(kind, name.number)}`, word.column);
    return operand;
  }

  private constant(c: LineCursor, b: TraceBuilder): ConstRef {
    const column = c.column;
    c.expect('#');
    if (c.lookingAt("'")) return this.labelled(c, b, c.quoted(), column);
    const word = c.word();
    const parsed = parseConstantWord(word.text);
    if (typeof parsed === 'string') throw c.problem(`expected ${parsed}`, column);
    if (parsed.literal) return b.constants.of(parsed.kind, parsed.value, null);
    return this.labelled(c, b, parsed.label, column);
  }

  private labelled(c: LineCursor, b: TraceBuilder, label: string, column: number): ConstRef {
    const value = this.registry.get(label);
    if (value === undefined) throw c.problem(`expected a known label, found #${label} (not in the registry)`, column);
    return b.constants.of('ref', value, label);
  }

  /** A bare or quoted label (trace names). */
  private label(c: LineCursor, what: string): string {
    if (c.lookingAt("'")) return c.quoted();
    const word = c.word();
    if (word.text === '') c.fail(what, word.column);
    return word.text;
  }

  private snapshot(c: LineCursor, b: TraceBuilder, number: number, first: Word): void {
    c.expectWord('snap', "'snap' after a snapshot name");
    if (this.snapshotIds.has(number)) throw c.problem(`${first.text} is already defined`, first.column);
    const frames: FrameState[] = [];
    while (c.lookingAt('[')) frames.push(this.frame(c, b));
    if (frames.length === 0) c.fail("'[' starting a frame");
    const virtuals: VirtualObject[] = [];
    while (!c.atEnd()) virtuals.push(this.virtual(c, b, virtuals.length));
    const problem = snapshotProblem(new Snapshot(snapshotId(-1), b.length, frames, virtuals), b);
    if (problem !== null) throw c.problem(problem, first.column);
    this.snapshotIds.set(number, b.snapshot(frames, virtuals));
  }

  private frame(c: LineCursor, b: TraceBuilder): FrameState {
    c.expect('[');
    if (!c.lookingAt('#')) c.fail('a method constant');
    const method = this.constant(c, b);
    c.expect('@', "'@' before the pc");
    const pc = c.word();
    if (!/^(0|[1-9][0-9]*)$/.test(pc.text)) c.fail('a pc (a non-negative integer)', pc.column);
    c.expect('|', "'|' before the slots");
    return new FrameState(method, Number(pc.text), this.snapValues(c, b, ']'));
  }

  private virtual(c: LineCursor, b: TraceBuilder, index: number): VirtualObject {
    const word = c.word();
    if (parseIndexedName(word.text, 'v') !== index) c.fail(`v${index}=new ... (virtual objects in order)`, word.column);
    c.expect('=');
    c.expectWord('new', "'new'");
    if (c.take('[')) return new VirtualArray(this.snapValues(c, b, ']'));
    if (!c.lookingAt('#')) c.fail("a struct descriptor constant or '['");
    const descr = this.constant(c, b);
    c.expect('(');
    return new VirtualStruct(descr, this.snapValues(c, b, ')'));
  }

  private snapValues(c: LineCursor, b: TraceBuilder, close: string): SnapValue[] {
    const values: SnapValue[] = [];
    while (!c.take(close)) {
      if (c.atEnd()) c.fail(`'${close}'`);
      values.push(this.snapValue(c, b));
    }
    return values;
  }

  private snapValue(c: LineCursor, b: TraceBuilder): SnapValue {
    if (c.lookingAt('#')) return this.constant(c, b);
    const word = c.word();
    if (word.text === DEAD_TEXT) return null;
    const virtual = parseIndexedName(word.text, 'v');
    return virtual === null ? this.value(c, b, word) : virtualRef(virtual);
  }
}
