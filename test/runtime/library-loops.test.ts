/**
 * Every loop of the standard library is a loop the runtime sees (issue #10): each library
 * method that iterates, sent for real (block variables or non-inlined selectors, so nothing is
 * inlined at the caller), takes its iterations as bytecode back-edges that the tier manager
 * counts, so that on-stack replacement, and later tracing, can enter it.
 *
 * LIBRARY_LOOPS below is the one list of those forms: per form, a send of it, what the program
 * prints, and the library method whose back-edges the iterations take (the form itself, or the
 * library loop it delegates to, e.g. `Array>>sum` through `Array>>do:`). Each form runs in its
 * own program in `multi` mode with invocation compiles off and a low back-edge threshold; the
 * test requires an `osr` event for that method between two marker loops around the send, so
 * iterations before the send (set-up, start-up) cannot stand in for it. The other tests derive
 * from the list: every library method or block with a backward jump is some form's loop, and no
 * form is replaced by a primitive or a native override (a JavaScript loop has no back-edge).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSom } from '../../runtime/vm.ts';
import { Universe } from '../../interpreter/universe.ts';
import { methodName } from '../../interpreter/backtrace.ts';
import { Op, instructionLength } from '../../interpreter/compiler/opcodes.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { SomClass } from '../../interpreter/model/class.ts';
import { defaultParams, type JitParams } from '../../runtime/params.ts';

/** Back-edges a method takes before OSR; every form iterates well beyond it within its send. */
const BACK_EDGE_THRESHOLD = 10;
const PARAMS: JitParams = {
  ...defaultParams(),
  tier1Threshold: 1_000_000,
  tier1BackEdgeThreshold: BACK_EDGE_THRESHOLD,
};

interface LibraryLoop {
  /** The library method sent, as `Class>>selector` (`Class class>>selector` on the class side). */
  readonly form: string;
  /** Statements run before the first marker: build the receiver in `data`, not through `form`. */
  readonly setup: string;
  /** Statements that send `form` (temporaries: data items block cond count result). */
  readonly send: string;
  /** An expression printed after the second marker, or null to print nothing more. */
  readonly show: string | null;
  /** Everything the program prints. */
  readonly prints: string;
  /** The method whose back-edges the iterations take: `form` itself or the loop it delegates to. */
  readonly loopsIn: string;
}

const ONE_TO_30 = Array.from({ length: 30 }, (_, i) => i + 1);
const SUM_1_TO_30 = 465;
const ARRAY = 'data := Array new: 30. 1 to: 30 do: [ :i | data at: i put: i ].';
const VECTOR = 'data := Vector new: 40. 1 to: 30 do: [ :i | data append: i ].';
/** A Set of 1..30 whose Vector is filled directly, so that no Set loop runs before the send. */
const SET = `${VECTOR} items := data. data := Set new. data instVarAt: 1 put: items.`;
const DICTIONARY =
  'items := Vector new: 40. 1 to: 30 do: [ :i | items append: (Pair withKey: i andValue: i * i) ].' +
  ' data := Dictionary new. data instVarAt: 1 put: items.';
const HASHTABLE = 'data := Hashtable new. 1 to: 100 do: [ :i | data at: i put: i * i ].';
const LETTERS = "data := 'abcdefghijklmnopqrstuvwxyz0123'.";
const ADD_ELEMENT = ' block := [ :x | count := count + x ].';
const VECTOR_PRINTED = `(${ONE_TO_30.map((i) => `(${i})`).join('')})\n`;
const DICTIONARY_PRINTED = `{${ONE_TO_30.map((i) => `[${i}=>${i * i}]`).join('')}}`;

/** A form whose send stores its answer in `result`, printed with `count` (what the loop did). */
function counted(form: string, setup: string, send: string, prints: string, loopsIn = form): LibraryLoop {
  return { form, setup, send, show: "count asString + ' ' + result asString", prints: `${prints}\n`, loopsIn };
}

/** A form whose `show` expression alone is printed. */
function shown(form: string, setup: string, send: string, show: string, prints: string, loopsIn = form): LibraryLoop {
  return { form, setup, send, show, prints: `${prints}\n`, loopsIn };
}

const BLOCK_AND_INTEGER_LOOPS: readonly LibraryLoop[] = [
  counted(
    'Block>>whileTrue:',
    '',
    'cond := [ count < 30 ]. block := [ count := count + 1 ]. result := cond whileTrue: block',
    '30 nil',
  ),
  counted(
    'Block>>whileFalse:',
    '',
    'cond := [ count >= 30 ]. block := [ count := count + 1 ]. result := cond whileFalse: block',
    '30 nil',
  ),
  counted('Integer>>to:do:', ADD_ELEMENT, 'result := 1 to: 30 do: block', `${SUM_1_TO_30} 1`),
  counted('Integer>>to:by:do:', ADD_ELEMENT, 'result := 1 to: 59 by: 2 do: block', '900 1'),
  counted('Integer>>downTo:do:', ADD_ELEMENT, 'result := 30 downTo: 1 do: block', `${SUM_1_TO_30} 30`),
  counted('Integer>>downTo:by:do:', ADD_ELEMENT, 'result := 60 downTo: 2 by: 2 do: block', '930 60'),
  counted('Integer>>timesRepeat:', 'block := [ count := count + 1 ].', 'result := 30 timesRepeat: block', '30 30'),
  shown('Integer>>to:', '', 'result := 1 to: 30', "result length asString + ' ' + (result at: 30) asString", '30 30'),
  shown('Integer>>raisedTo:', '', 'result := 2 raisedTo: 30', 'result', '1073741824', 'Integer>>timesRepeat:'),
  shown('Double>>to:do:', ADD_ELEMENT, '1.0 to: 30.0 do: block', 'count', '465.0'),
  shown('Double>>downTo:do:', ADD_ELEMENT, '30.0 downTo: 1.0 do: block', 'count', '465.0'),
  shown('Double>>raisedTo:', '', 'result := 2.0 raisedTo: 30', 'result', '1073741824.0', 'Integer>>timesRepeat:'),
];

const ARRAY_LOOPS: readonly LibraryLoop[] = [
  shown('Array>>do:', ARRAY + ADD_ELEMENT, 'data do: block', 'count', `${SUM_1_TO_30}`),
  shown('Array>>doIndexes:', ARRAY + ADD_ELEMENT, 'data doIndexes: block', 'count', `${SUM_1_TO_30}`),
  shown('Array>>from:to:do:', ARRAY + ADD_ELEMENT, 'data from: 1 to: 30 do: block', 'count', `${SUM_1_TO_30}`),
  shown(
    'Array>>putAll:',
    'result := Array new: 30.',
    'result putAll: [ count := count + 1 ]',
    '(result at: 30)',
    '30',
    'Array>>doIndexes:',
  ),
  shown(
    'Array class>>new:withAll:',
    '',
    'result := Array new: 30 withAll: [ count := count + 1 ]',
    '(result at: 30)',
    '30',
    'Array>>doIndexes:',
  ),
  shown(
    'Array>>copyFrom:to:',
    ARRAY,
    'result := data copyFrom: 2 to: 30',
    "result length asString + ' ' + (result at: 29) asString",
    '29 30',
    'Array>>from:to:do:',
  ),
  shown(
    'Array>>copyFrom:',
    ARRAY,
    'result := data copyFrom: 2',
    "result length asString + ' ' + (result at: 29) asString",
    '29 30',
    'Array>>from:to:do:',
  ),
  shown(
    'Array>>copy',
    ARRAY,
    'result := data copy',
    "result length asString + ' ' + (result at: 30) asString",
    '30 30',
    'Array>>from:to:do:',
  ),
  shown(
    'Array>>replaceFrom:to:with:startingAt:',
    `${ARRAY} result := Array new: 30.`,
    'result replaceFrom: 1 to: 30 with: data startingAt: 1',
    '(result at: 30)',
    '30',
  ),
  shown(
    'Array>>extendedWith:',
    ARRAY,
    'result := data extendedWith: 31',
    "result length asString + ' ' + (result at: 30) asString",
    '31 30',
    'Array>>replaceFrom:to:with:startingAt:',
  ),
  shown(
    'Array>>prependedWith:',
    ARRAY,
    'result := data prependedWith: 0',
    "result length asString + ' ' + (result at: 31) asString",
    '31 30',
    'Array>>replaceFrom:to:with:startingAt:',
  ),
  shown('Array>>sum', ARRAY, 'result := data sum', 'result', `${SUM_1_TO_30}`, 'Array>>do:'),
  shown('Array>>average', ARRAY, 'result := data average', 'result', '15', 'Array>>do:'),
  shown('Array>>contains:', ARRAY, 'result := data contains: 30', 'result', 'true', 'Array>>do:'),
  shown('Array>>indexOf:', ARRAY, 'result := data indexOf: 30', 'result', '30'),
  shown('Array>>lastIndexOf:', ARRAY, 'result := data lastIndexOf: 1', 'result', '1'),
  shown('Array>>collect:', ARRAY, 'result := data collect: [ :x | x * 2 ]', '(result at: 30)', '60'),
  shown('Array>>select:', ARRAY, 'result := data select: [ :x | x > 20 ]', 'result size', '10', 'Array>>do:'),
  shown('Array>>reject:', ARRAY, 'result := data reject: [ :x | x > 20 ]', 'result size', '20', 'Array>>do:'),
  shown(
    'Array>>inject:into:',
    ARRAY,
    'result := data inject: 0 into: [ :a :x | a + x ]',
    'result',
    `${SUM_1_TO_30}`,
    'Array>>do:',
  ),
  shown('Array>>union:', ARRAY, 'result := data union: (Array new: 0)', 'result size', '30', 'Array>>do:'),
  shown(
    'Array>>join:',
    `${ARRAY} data := data collect: [ :x | x asString ].`,
    "result := data join: ','",
    'result',
    ONE_TO_30.join(','),
  ),
  shown(
    'Class>>selectors',
    '',
    'result := Integer selectors',
    "result first asString + ' ' + result last asString",
    '+ to:',
    'Array>>collect:',
  ),
  shown('Class>>hasMethod:', '', 'result := Integer hasMethod: #to:', 'result', 'true', 'Array>>do:'),
  shown('Object>>respondsTo:', '', '1 to: 20 do: [ :i | result := 3 respondsTo: #foo ]', 'result', 'false'),
];

const VECTOR_AND_SET_LOOPS: readonly LibraryLoop[] = [
  shown('Vector>>do:', VECTOR + ADD_ELEMENT, 'data do: block', 'count', `${SUM_1_TO_30}`),
  shown('Vector>>doIndexes:', VECTOR + ADD_ELEMENT, 'data doIndexes: block', 'count', `${SUM_1_TO_30}`),
  shown('Vector>>contains:', VECTOR, 'result := data contains: 30', 'result', 'true', 'Vector>>do:'),
  shown('Vector>>indexOf:', VECTOR, 'result := data indexOf: 30', 'result', '30'),
  shown(
    'Vector>>asArray',
    VECTOR,
    'result := data asArray',
    "result length asString + ' ' + (result at: 30) asString",
    '30 30',
  ),
  shown(
    'Vector>>appendAll:',
    `${VECTOR} result := Vector new: 40.`,
    'result appendAll: data',
    'result size',
    '30',
    'Vector>>do:',
  ),
  shown(
    'Vector>>remove:',
    VECTOR,
    'result := data remove: 30',
    "result asString + ' ' + data size asString",
    'true 29',
    'Vector>>do:',
  ),
  {
    form: 'Vector>>println',
    setup: VECTOR,
    send: 'data println',
    show: null,
    prints: VECTOR_PRINTED,
    loopsIn: 'Vector>>do:',
  },
  shown('Vector>>asSet', VECTOR, 'result := data asSet', 'result size', '30', 'Vector>>do:'),
  shown(
    'Vector>>append:',
    'result := Vector new: 1.',
    '1 to: 100 do: [ :i | result append: i ]',
    'result size',
    '100',
    'Vector>>grow',
  ),
  shown('Set>>do:', SET + ADD_ELEMENT, 'data do: block', 'count', `${SUM_1_TO_30}`, 'Vector>>do:'),
  shown('Set>>collect:', SET, 'result := data collect: [ :x | x * 2 ]', '(result at: 30)', '60', 'Vector>>do:'),
  shown('Set>>contains:', SET, 'result := data contains: 30', 'result', 'true', 'Vector>>do:'),
  shown('Set>>add:', SET, 'data add: 31', 'data size', '31', 'Vector>>do:'),
  shown('Set>>addAll:', `${SET} result := Set new.`, 'result addAll: data', 'result size', '30', 'Vector>>do:'),
  shown('Set>>=', SET, 'result := data = data', 'result', 'true', 'Vector>>do:'),
  shown('Set>>union:', SET, 'result := data union: data', 'result size', '30', 'Vector>>do:'),
  shown('Set>>intersection:', SET, 'result := data intersection: data', 'result size', '30', 'Vector>>do:'),
  shown('Set>>-', SET, 'result := data - data', 'result size', '0', 'Vector>>do:'),
  shown(
    'Set>>asString',
    SET,
    'result := data asString',
    'result',
    `a Set(${ONE_TO_30.map((i) => `${i}, `).join('')})`,
    'Vector>>do:',
  ),
  {
    form: 'Set>>println',
    setup: SET,
    send: 'data println',
    show: null,
    prints: VECTOR_PRINTED,
    loopsIn: 'Vector>>do:',
  },
];

const DICTIONARY_HASHTABLE_AND_STRING_LOOPS: readonly LibraryLoop[] = [
  shown(
    'Dictionary>>do:',
    DICTIONARY,
    'data do: [ :pair | count := count + pair value ]',
    'count',
    '9455',
    'Vector>>do:',
  ),
  shown(
    'Dictionary>>keys',
    DICTIONARY,
    'result := data keys',
    "result size asString + ' ' + (result at: 30) asString",
    '30 30',
    'Vector>>do:',
  ),
  shown(
    'Dictionary>>values',
    DICTIONARY,
    'result := data values',
    "result size asString + ' ' + (result at: 30) asString",
    '30 900',
    'Vector>>do:',
  ),
  shown('Dictionary>>at:', DICTIONARY, 'result := data at: 30', 'result', '900', 'Vector>>do:'),
  shown('Dictionary>>at:put:', DICTIONARY, 'data at: 30 put: 0', '(data at: 30)', '0', 'Vector>>do:'),
  shown('Dictionary>>containsKey:', DICTIONARY, 'result := data containsKey: 31', 'result', 'false', 'Vector>>do:'),
  {
    form: 'Dictionary>>println',
    setup: DICTIONARY,
    send: 'data println',
    show: null,
    prints: `${DICTIONARY_PRINTED}\n`,
    loopsIn: 'Vector>>do:',
  },
  shown('Hashtable>>at:put:', 'data := Hashtable new.', '1 to: 100 do: [ :i | data at: i put: i ]', 'data size', '100'),
  shown(
    'Hashtable>>get:',
    HASHTABLE,
    '1 to: 100 do: [ :i | count := count + (data get: i) ]',
    'count',
    '338350',
    'Hashtable>>entryAt:',
  ),
  shown(
    'Hashtable>>containsKey:',
    HASHTABLE,
    '1 to: 100 do: [ :i | (data containsKey: i) ifTrue: [ count := count + 1 ] ]',
    'count',
    '100',
    'Hashtable>>entryAt:',
  ),
  shown(
    'Hashtable>>containsValue:',
    HASHTABLE,
    'result := data containsValue: -1',
    'result',
    'false',
    '[] in Hashtable>>entriesDo:',
  ),
  shown('Hashtable>>keys', HASHTABLE, 'result := data keys', 'result size', '100', '[] in Hashtable>>entriesDo:'),
  shown('Hashtable>>values', HASHTABLE, 'result := data values', 'result size', '100', '[] in Hashtable>>entriesDo:'),
  shown('String>>beginsWith:', LETTERS, 'result := data beginsWith: data', 'result', 'true'),
  shown('String>>endsWith:', LETTERS, 'result := data endsWith: data', 'result', 'true'),
  shown('String>>indexOf:', LETTERS, "result := data indexOf: '3'", 'result', '30', 'String>>indexOf:startingAt:'),
  shown('String>>indexOf:startingAt:', LETTERS, "result := data indexOf: '3' startingAt: 2", 'result', '30'),
  shown(
    'String>>split:',
    `data := '${ONE_TO_30.join(',')}'.`,
    "result := data split: ','",
    "result length asString + ' ' + (result at: 30)",
    '30 30',
  ),
];

/** The one list of the library's loop forms. */
const LIBRARY_LOOPS: readonly LibraryLoop[] = [
  ...BLOCK_AND_INTEGER_LOOPS,
  ...ARRAY_LOOPS,
  ...VECTOR_AND_SET_LOOPS,
  ...DICTIONARY_HASHTABLE_AND_STRING_LOOPS,
];

/** Two loops of the probe itself: their OSR events bracket the send in the jit log. */
const MARKER = '| i | i := 0. [ i < 100 ] whileTrue: [ i := i + 1 ]';

/** The probe program; `run:` comes first so that System>>initialize: finds it without iterating. */
function probeSource(loop: LibraryLoop): string {
  return `LoopProbe = (
    run: arguments = ( | data items block cond count result |
        count := 0.
        ${loop.setup}
        self mark.
        ${loop.send}.
        self done.
        ${loop.show === null ? '' : `(${loop.show}) println`} )
    mark = ( ${MARKER} )
    done = ( ${MARKER} ) )`;
}

interface JitEvent {
  readonly event: string;
  readonly method?: string;
}

/** Runs the probe for `loop` in multi mode; answers its output and jit events. */
function runProbe(loop: LibraryLoop) {
  const dir = mkdtempSync(join(tmpdir(), 'som-loops-'));
  const file = join(dir, 'LoopProbe.som');
  writeFileSync(file, probeSource(loop));
  const log = join(dir, 'jit.jsonl');
  const result = runSom({
    classpath: ['Smalltalk'],
    args: [file],
    tiers: { mode: 'multi', params: PARAMS, jitLog: log },
  });
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JitEvent);
  return { ...result, events };
}

/** The methods that moved to tier 1 at a back-edge between the two markers' OSRs. */
function osrDuringSend(events: readonly JitEvent[]): string[] {
  const osr = events.filter((e) => e.event === 'osr').map((e) => e.method!);
  const start = osr.indexOf('LoopProbe>>mark');
  const end = osr.indexOf('LoopProbe>>done');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return osr.slice(start + 1, end);
}

describe('library loops run as sends', () => {
  it.each(LIBRARY_LOOPS.map((loop) => [loop.form, loop.loopsIn, loop] as const))(
    '%s iterates through counted back-edges of %s',
    (_form, method, loop) => {
      const r = runProbe(loop);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(loop.prints);
      expect(osrDuringSend(r.events)).toContain(method);
    },
  );
});

/** Block>>whileTrue: sent with block variables, as SOM.md §7.1 describes it (was native before). */
const WHILE_SENDS = `WhileSends = (
    run = ( | cond body n answer |
        n := 0.
        cond := [ n < 3 ].
        body := [ n := n + 1 ].
        answer := cond whileTrue: body.
        (n asString + ' ' + answer asString) println.
        cond := [ :unused | n >= 5 ].
        answer := cond whileFalse: body.
        (n asString + ' ' + answer asString) println.
        cond := [ n := n + 1. n < 8 ].
        answer := cond whileTrue: 42.
        (n asString + ' ' + answer asString) println.
        cond := [ self ].
        answer := cond whileTrue: body.
        (n asString + ' ' + answer asString) println )
    ifFalse: block = ( 'ifFalse: sent to a non-Boolean condition' println. ^7 ) )`;

describe('Block>>whileTrue: and whileFalse: as sends', () => {
  it.each(['interp', 'tier1'] as const)(
    'evaluate receiver and argument, accept non-block bodies and Block2 receivers, send ifFalse: to a non-Boolean condition, and answer nil (%s)',
    (mode) => {
      const dir = mkdtempSync(join(tmpdir(), 'som-while-'));
      const file = join(dir, 'WhileSends.som');
      writeFileSync(file, WHILE_SENDS);
      const r = runSom({ classpath: ['Smalltalk'], args: [file], tiers: { mode, params: defaultParams() } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('3 nil\n5 nil\n8 nil\nifFalse: sent to a non-Boolean condition\n8 nil\n');
    },
  );
});

/** A universe with every class of the standard library loaded. */
function libraryClasses(): SomClass[] {
  const u = new Universe({ classpath: ['Smalltalk'], output: { writeOut() {}, writeErr() {} }, maxStackDepth: 100 });
  u.bootstrap();
  const names = readdirSync('Smalltalk')
    .filter((f) => f.endsWith('.som'))
    .map((f) => f.slice(0, -'.som'.length));
  return names.flatMap((n) => {
    const cls = u.resolveClass(u.symbol(n))!;
    return [cls, cls.clazz];
  });
}

function hasBackwardJump(method: SomMethod): boolean {
  const code = method.code;
  for (let pc = 0; pc < code.length; pc += instructionLength(code[pc] as Op)) {
    if (code[pc] === Op.JUMP_BACKWARD) return true;
  }
  return false;
}

/** Methods and blocks of the library (by jit-log name) with a backward jump, and every invokable. */
function scanLibrary(): { looping: Set<string>; kinds: Map<string, string> } {
  const looping = new Set<string>();
  const kinds = new Map<string, string>();
  const visit = (m: SomMethod): void => {
    if (hasBackwardJump(m)) looping.add(methodName(m));
    m.blocks.forEach(visit);
  };
  for (const cls of libraryClasses()) {
    for (const inv of cls.localInvokables()) {
      kinds.set(`${cls.name.s}>>${inv.signature.s}`, inv.kind);
      if (inv.kind === 'method') visit(inv);
    }
  }
  return { looping, kinds };
}

describe('the list of library loops', () => {
  const { looping, kinds } = scanLibrary();

  it('names, for every library method or block with a backward jump, a form that loops in it', () => {
    const covered = new Set(LIBRARY_LOOPS.map((loop) => loop.loopsIn));
    expect([...looping].filter((m) => !covered.has(m))).toEqual([]);
  });

  it('has every form and its loop written in SOM, not replaced by a primitive or native override', () => {
    const names = [...new Set(LIBRARY_LOOPS.flatMap((loop) => [loop.form, loop.loopsIn]))];
    const named = names.filter((n) => !n.startsWith('[] in '));
    expect(named.map((n) => [n, kinds.get(n)])).toEqual(named.map((n) => [n, 'method']));
  });
});
