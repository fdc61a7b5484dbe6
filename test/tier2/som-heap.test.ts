/**
 * The SOM heap model of traces (runtime/tier2/som-heap.ts): the classes guard_class sees, and
 * objects that compiled traces allocate with the SOM descriptors, which must be the VM's own
 * objects, complete (a Frame's home and depth derived as its constructor derives them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Frame } from '../../interpreter/model/frame.ts';
import { coreClasses } from '../../interpreter/model/core-classes.ts';
import { SomMethod } from '../../interpreter/model/method.ts';
import { SomArray, SomBlock, SomDouble, SomObject } from '../../interpreter/model/objects.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { Universe } from '../../interpreter/universe.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import { SomHeap } from '../../runtime/tier2/som-heap.ts';
import { runTrace } from '../../runtime/tier2/trace-code.ts';

let u: Universe;
let heap: SomHeap;

beforeAll(() => {
  u = new Universe({ classpath: ['Smalltalk'], output: { writeOut() {}, writeErr() {} }, maxStackDepth: 100 });
  u.bootstrap();
  heap = new SomHeap();
});

function somMethod(cls: SomClass, selector: string): SomMethod {
  const found = cls.lookup(u.symbol(selector));
  if (!(found instanceof SomMethod)) throw new Error(`${selector} is not a SOM method`);
  return found;
}

describe('classOf', () => {
  it("answers SOM's class for SOM values and the JS class for frames", () => {
    const system = coreClasses.system;
    expect(heap.classOf(3)).toBe(coreClasses.integer);
    expect(heap.classOf(true)).toBe(coreClasses.true);
    expect(heap.classOf(false)).toBe(coreClasses.false);
    expect(heap.classOf(null)).toBe(coreClasses.nil);
    expect(heap.classOf(new SomDouble(1))).toBe(coreClasses.double);
    expect(heap.classOf(new SomObject(system, 0))).toBe(system);
    expect(heap.classOf(u.entryFrame())).toBe(Frame);
  });

  it('lets a compiled guard_class tell an Integer from a Double', () => {
    const text = `trace bridge check
  in  r0
  s0  snap [#run @0 | r0]
      guard_class  r0 #Integer    ->s0
      finish       r0
`;
    const run = somMethod(coreClasses.object, 'value');
    const labels = new Map<string, unknown>([...heap.labels(), ['Integer', coreClasses.integer], ['run', run]]);
    const compiled = compileTrace(parseTrace(text, labels), heap);
    expect(runTrace(compiled, [7]).kind).toBe('finish');
    expect(runTrace(compiled, [new SomDouble(7)]).kind).toBe('exit');
  });
});

describe('guard_class compiled without a call (SomHeap.classTest)', () => {
  it('agrees with classOf on every kind of value, for every kind of class', () => {
    const system = coreClasses.system;
    const values: unknown[] = [
      0, -5, 7, true, false, null, 2n ** 70n, new SomDouble(1.5), new SomObject(system, 0),
      new SomObject(coreClasses.object, 0), new SomArray([]), u.entryFrame(), 'a string',
    ]; // prettier-ignore
    const classes: unknown[] = [
      coreClasses.integer, coreClasses.true, coreClasses.false, coreClasses.nil,
      coreClasses.double, coreClasses.array, system, coreClasses.object, Frame,
    ]; // prettier-ignore
    const run = somMethod(coreClasses.object, 'value');
    for (const cls of classes) {
      const labels = new Map<string, unknown>([...heap.labels(), ['C', cls], ['run', run]]);
      const text = `trace bridge check
  in  r0
  s0  snap [#run @0 | r0]
      guard_class  r0 #C    ->s0
      finish       r0
`;
      const compiled = compileTrace(parseTrace(text, labels), heap);
      // The inline forms are used where the heap model has them (the JS shows no call).
      expect(compiled.source.includes('H.classOf')).toBe(cls === Frame);
      for (const value of values) {
        const expected = heap.classOf(value) === cls ? 'finish' : 'exit';
        expect(runTrace(compiled, [value]).kind, `${String(value)} against ${String(cls)}`).toBe(expected);
      }
    }
  });
});

describe('allocations in compiled traces', () => {
  it('makes the VM objects, complete', () => {
    const method = somMethod(coreClasses.object, 'value');
    const blockMethod = somMethod(coreClasses.array, 'contains:').blocks[0]!;
    heap.objectStruct(coreClasses.system);
    const text = `trace bridge allocate
  in  r0 r1 f2
  r3  new_struct  #Double f2
  r4  new_array   #2
      setarrayitem r4 #0 r3
  r5  new_struct  #Array r4 #null
  r6  new_array   #${coreClasses.system.numInstanceFields}
  r7  new_struct  #System r6
  r8  new_array   #${method.frameSize}
  r9  new_struct  #Frame #method r1 r0 #null #null r8 #0 #true
  r10 new_struct  #Block2 #block r9
  r11 new_array   #${blockMethod.frameSize}
  r12 new_struct  #Frame #block r1 r9 r9 r10 r11 #3 #true
      finish      r3 r5 r7 r9 r10 r12
`;
    const labels = new Map<string, unknown>([...heap.labels(), ['method', method], ['block', blockMethod]]);
    const caller = u.entryFrame();
    const result = runTrace(compileTrace(parseTrace(text, labels), heap), [caller, 'self', 2.5]);
    expect(result.kind).toBe('finish');
    if (result.kind !== 'finish') return;
    const [double, array, system, frame, block, blockFrame] = result.values as [
      SomDouble,
      SomArray,
      SomObject,
      Frame,
      SomBlock,
      Frame,
    ];
    expect(double).toBeInstanceOf(SomDouble);
    expect([double.value, double.clazz]).toEqual([2.5, coreClasses.double]);
    expect(array).toBeInstanceOf(SomArray);
    expect(array.elements).toEqual([double, null]);
    expect(array.clazz).toBe(coreClasses.array);
    expect(array.methodHolder).toBeNull();
    expect(system).toBeInstanceOf(SomObject);
    expect(system.clazz).toBe(coreClasses.system);
    expect(system.fields).toHaveLength(coreClasses.system.numInstanceFields);
    expect(frame).toBeInstanceOf(Frame);
    expect([frame.method, frame.receiver, frame.caller, frame.home, frame.depth]).toEqual([
      method,
      'self',
      caller,
      frame,
      caller.depth + 1,
    ]);
    expect(block).toBeInstanceOf(SomBlock);
    expect([block.clazz, block.method, block.context]).toEqual([coreClasses.block2, blockMethod, frame]);
    expect([blockFrame.home, blockFrame.outer, blockFrame.block, blockFrame.depth, blockFrame.pc]).toEqual([
      frame,
      frame,
      block,
      frame.depth + 1,
      3,
    ]);
  });
});
