/**
 * The SOM heap as traces see it: the `HeapModel` and the struct and field descriptors of the
 * objects a SOM trace allocates, reads and writes, and the layout of a SOM activation in a
 * snapshot (the contract between the recorder, which writes snapshots, and deopt.ts, which
 * resumes them).
 *
 * The optimiser and the backend know objects only through descriptors (runtime/ir/descriptors.ts);
 * this is the one place that describes the VM's objects to them:
 *
 * | struct                 | JS object   | fields (constructor order)                       |
 * |------------------------|-------------|--------------------------------------------------|
 * | `Double`               | SomDouble   | value: float                                     |
 * | `Array`                | SomArray    | elements: ref (the JS array of its elements),    |
 * |                        |             | methodHolder: ref (null but for `Class>>methods`)|
 * | `String`               | SomString   | s: ref (its characters, a JS string)             |
 * | `<class name>`, per    | SomObject   | fields: ref (the JS array of its fields)         |
 * |   SOM class            |             |                                                  |
 * | `Block1`..`Block3`     | SomBlock    | method: ref, context: ref (the defining Frame)   |
 * | `Frame`                | Frame       | method, receiver, caller, outer, block, slots:   |
 * |                        |             | ref; pc: int; onStack: bool                      |
 *
 * Every field is immutable (never written after construction) except `Frame.pc` and
 * `Frame.onStack`; the arrays the `elements`, `fields` and `slots` fields hold are JS arrays of
 * `ref` values, read and written with the IR's array operations. A class that is a field of
 * the JS object (`clazz`) is not a field of the struct: it is fixed per descriptor, which is
 * why SomObject and SomBlock have one descriptor per class, and why `guard_class` on a fresh
 * object folds. Frames are not SOM values: their class, for `guard_class`, is the JS class
 * `Frame`. `Frame.home` and `Frame.depth` are loadable (immutable) but not constructor fields:
 * the Frame derives them from `outer` and `caller`, and so does materialisation (see "Frame
 * completion" below).
 *
 * Descriptors capture the core classes of the running Universe: make one SomHeap per Universe,
 * after bootstrap.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { Frame } from '../../interpreter/model/frame.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { blockClassFor, coreClasses } from '../../interpreter/model/core-classes.ts';
import { EMPTY_METHOD_CODE, SomMethod } from '../../interpreter/model/method.ts';
import { SomArray, SomBlock, SomDouble, SomObject, SomString, type SomValue } from '../../interpreter/model/objects.ts';
import { vm } from '../../interpreter/vm-state.ts';
import { type ClassTest, FieldDescr, type HeapModel, type StructConstructor, StructDescr } from '../ir/descriptors.ts';

// ---- frame states: a SOM activation in a snapshot ----

/**
 * The slots of a SOM `FrameState` (and of the `ExitFrame` a side exit hands out), in order:
 * - `activation`: the activation's Frame object, when something refers to it (for the
 *   outermost level, the frame that entered the trace, a trace input; for an inlined level, a
 *   virtual Frame when a block captured it, or a real one when it escaped). Otherwise, for a
 *   block activation, its closure (the SomBlock: the frame's `block`, whose context is its
 *   `outer`), and for a method activation dead: the exit then allocates the frame.
 * - `receiver`: self (dead, or the activation's receiver, when the activation is named);
 * - then `frame.slots` in order: arguments, locals, operand stack (trailing dead slots may be
 *   left out). A dead slot keeps what the frame holds (nil for a local of a frame the exit
 *   allocates), since the activation writes it before it reads it; dead stack slots are never
 *   read at all (the stack pointer is static per pc).
 *
 * The exit sets the pc and `onStack` of every level's frame: a virtual Frame that is a level need
 * not give them (nor its slots array, which the frame state fills).
 *
 * The pc of the innermost level is where it resumes. The pc of every other level is that of
 * the send the next level is an activation of: what `frame.pc` holds in the interpreter while
 * the callee runs, so backtraces are the same (see deopt.ts for the continuation after it).
 */
export const FRAME_STATE = { activation: 0, receiver: 1, firstSlot: 2 } as const;

// ---- the heap model ----

/** The fields of the Frame struct, by name; see the module header for which are mutable. */
export interface FrameFields {
  readonly method: FieldDescr;
  readonly receiver: FieldDescr;
  readonly caller: FieldDescr;
  readonly outer: FieldDescr;
  readonly block: FieldDescr;
  readonly slots: FieldDescr;
  readonly pc: FieldDescr;
  readonly onStack: FieldDescr;
  /** Not constructor fields: derived from `outer` and `caller`, loadable. */
  readonly home: FieldDescr;
  readonly depth: FieldDescr;
}

const immutableRef = (label: string, property: string): FieldDescr => new FieldDescr(label, property, 'ref', true);

/** The SOM object model, described for traces. */
export class SomHeap implements HeapModel {
  readonly doubleValue = new FieldDescr('Double.value', 'value', 'float', true);
  readonly arrayElements = immutableRef('Array.elements', 'elements');
  /** Set once, when a class makes its method array, before any trace can see the array. */
  readonly arrayMethodHolder = immutableRef('Array.methodHolder', 'methodHolder');
  readonly objectFields = immutableRef('Object.fields', 'fields');
  /** A String's characters: a JS string (its `arraylen` is the string's length). */
  readonly stringValue = immutableRef('String.s', 's');
  readonly blockMethod = immutableRef('Block.method', 'method');
  readonly blockContext = immutableRef('Block.context', 'context');
  readonly frameFields: FrameFields = {
    method: immutableRef('Frame.method', 'method'),
    receiver: immutableRef('Frame.receiver', 'receiver'),
    caller: immutableRef('Frame.caller', 'caller'),
    outer: immutableRef('Frame.outer', 'outer'),
    block: immutableRef('Frame.block', 'block'),
    slots: immutableRef('Frame.slots', 'slots'),
    // Every side exit sets each rebuilt level's pc from its snapshot (deopt.ts, bridge-inputs.ts).
    pc: new FieldDescr('Frame.pc', 'pc', 'int', false, true),
    onStack: new FieldDescr('Frame.onStack', 'onStack', 'bool', false),
    home: immutableRef('Frame.home', 'home'),
    depth: new FieldDescr('Frame.depth', 'depth', 'int', true),
  };

  readonly double: StructDescr;
  readonly array: StructDescr;
  /** Strings a trace makes (a traced substring); never a Symbol, which only the symbol table makes. */
  readonly string: StructDescr;
  readonly frame: StructDescr;
  /** Block1, Block2, Block3: indexed by min(number of parameters, 2). */
  private readonly blocks: readonly StructDescr[];
  private readonly objects = new Map<SomClass, StructDescr>();
  /** Frames materialisation allocated whose derived fields are not yet computed (see below). */
  private readonly incompleteFrames = new Set<Frame>();
  /** The method of a frame between its allocation by `materialize` and the filling of its fields. */
  private readonly unfilledMethod: SomMethod;

  constructor() {
    this.double = new StructDescr('Double', SomDouble, [this.doubleValue], coreClasses.double);
    this.array = new StructDescr(
      'Array',
      structConstructor(newArray),
      [this.arrayElements, this.arrayMethodHolder],
      coreClasses.array,
    );
    this.string = new StructDescr('String', SomString, [this.stringValue], coreClasses.string);
    this.blocks = [0, 1, 2].map((numParams) => this.blockStruct(numParams));
    const f = this.frameFields;
    const fields = [f.method, f.receiver, f.caller, f.outer, f.block, f.slots, f.pc, f.onStack];
    this.frame = new StructDescr('Frame', structConstructor(this.newFrame.bind(this)), fields, Frame);
    this.unfilledMethod = new SomMethod(vm.services.symbol('materialize'), coreClasses.object, EMPTY_METHOD_CODE);
  }

  /** The class `guard_class` compares with: SOM's class of a SOM value, the JS class of a Frame. */
  classOf(value: unknown): unknown {
    switch (typeof value) {
      case 'number':
        return coreClasses.integer;
      case 'boolean':
        return value ? coreClasses.true : coreClasses.false;
      case 'object':
        if (value === null) return coreClasses.nil;
        return (value as { clazz?: unknown }).clazz ?? value.constructor;
      default:
        return undefined;
    }
  }

  /**
   * `classOf(x) === cls` without the call, for guard_class (the backend inlines it): each case
   * is exactly the branch of `classOf` that answers `cls`. A SomClass is never a constructor,
   * so an object without `clazz` (a Frame) fails the field test as it fails the comparison.
   */
  classTest(cls: unknown): ClassTest | null {
    if (cls === coreClasses.integer) return { kind: 'typeof', type: 'number' };
    if (cls === coreClasses.true) return { kind: 'is', value: true };
    if (cls === coreClasses.false) return { kind: 'is', value: false };
    if (cls === coreClasses.nil) return { kind: 'is', value: null };
    return cls instanceof SomClass ? { kind: 'field', property: 'clazz' } : null;
  }

  /** The struct of instances of the SOM class `cls` (a SomObject with `cls` as its class). */
  objectStruct(cls: SomClass): StructDescr {
    let descr = this.objects.get(cls);
    if (descr === undefined) {
      const numFields = cls.numInstanceFields;
      const make = (fields: SomValue[] | null): SomObject => {
        const object = new SomObject(cls, 0);
        (object as { fields: SomValue[] }).fields = fields ?? new Array<SomValue>(numFields).fill(null);
        return object;
      };
      descr = new StructDescr(cls.name.s, structConstructor(make), [this.objectFields], cls);
      this.objects.set(cls, descr);
    }
    return descr;
  }

  /** The struct of closures taking `numParams` parameters. */
  blockStructFor(numParams: number): StructDescr {
    // Invariant: `blocks` has the three block classes; blockClassFor maps 2 or more to Block3.
    return this.blocks[Math.min(numParams, 2)]!;
  }

  /** Label -> descriptor for every fixed descriptor and every object struct made so far (IR text). */
  labels(): Map<string, unknown> {
    const descriptors: (StructDescr | FieldDescr)[] = [
      this.double,
      this.array,
      this.string,
      this.frame,
      ...this.blocks,
      ...this.objects.values(),
      this.doubleValue,
      this.arrayElements,
      this.arrayMethodHolder,
      this.objectFields,
      this.stringValue,
      this.blockMethod,
      this.blockContext,
      ...Object.values(this.frameFields),
    ];
    return new Map(descriptors.map((descr) => [descr.label, descr]));
  }

  private blockStruct(numParams: number): StructDescr {
    const cls = blockClassFor(numParams);
    const make = (method: SomMethod | null, context: Frame | null): SomBlock =>
      // Materialisation allocates with null fields and fills them in right after.
      new SomBlock(cls, method as SomMethod, context as Frame);
    return new StructDescr(cls.name.s, structConstructor(make), [this.blockMethod, this.blockContext], cls);
  }

  // ---- frame completion ----
  //
  // `new_struct #Frame(...)` in a trace has every field at hand, so it builds a complete Frame
  // (the Frame constructor derives `home` and `depth`). `materialize` at a side exit cannot:
  // it allocates every virtual object first, with its fields at their kind's default, and fills
  // the fields in afterwards (virtual objects may refer to each other). Such a frame is
  // recorded here until `complete` (which deopt.ts calls for every frame of the exit, once
  // linked to its caller, then for the rest) gives it the slots array, `home` and `depth` its
  // filled-in fields imply. These are the only writes of a Frame's construction-time fields
  // outside its constructor.

  private newFrame(
    method: SomMethod | null,
    receiver: SomValue,
    caller: Frame | null,
    outer: Frame | null,
    block: SomBlock | null,
    slots: SomValue[] | null,
    pc: number,
    onStack: boolean,
  ): Frame {
    const frame = new Frame(method ?? this.unfilledMethod, receiver, caller, outer, block, slots);
    if (method === null) this.incompleteFrames.add(frame);
    frame.pc = pc;
    frame.onStack = onStack;
    return frame;
  }

  /** Whether `frame` was allocated by materialisation and is not complete yet. */
  isIncomplete(frame: Frame): boolean {
    return this.incompleteFrames.has(frame);
  }

  /**
   * Completes `frame` if materialisation left it incomplete, after its outer and caller frames
   * (its home and depth are derived from theirs).
   */
  complete(frame: Frame | null): void {
    if (frame === null || !this.incompleteFrames.delete(frame)) return;
    this.complete(frame.outer);
    this.complete(frame.caller);
    this.completeFrame(frame);
  }

  /** Completes every frame materialisation allocated and that is not complete yet. */
  completeMaterializedFrames(): void {
    for (const frame of [...this.incompleteFrames]) this.complete(frame);
  }

  /** Links a materialised frame that does not name its caller to `caller` (deopt.ts). */
  linkCaller(frame: Frame, caller: Frame): void {
    (frame as FrameConstruction).caller = caller;
  }

  private completeFrame(frame: Frame): void {
    const method = frame.method;
    if ((method as SomMethod | null) === null || method === this.unfilledMethod) {
      throw new VmInternalError('materialize: a virtual Frame without its method');
    }
    const construction = frame as FrameConstruction;
    // A dead `slots` field leaves the empty array of the unfilled frame: give it the method's.
    if (frame.slots.length === 0) construction.slots = new Frame(method, null, null, null, null).slots;
    if (frame.slots.length !== method.frameSize) {
      throw new VmInternalError(`materialize: a Frame of ${method.signature.s} with ${frame.slots.length} slots`);
    }
    construction.home = frame.outer === null ? frame : frame.outer.home;
    construction.depth = frame.caller === null ? 0 : frame.caller.depth + 1;
  }
}

/** The Frame fields its constructor sets once; only frame completion above writes them later. */
interface FrameConstruction {
  slots: SomValue[];
  caller: Frame | null;
  home: Frame;
  depth: number;
}

/**
 * A factory as a `StructConstructor`: `new_struct` and materialisation call `new ctor(...)`, and
 * `new` of a plain function that returns an object answers that object.
 */
function structConstructor<A extends unknown[]>(make: (...fields: A) => object): StructConstructor {
  // A plain function (not an arrow, which `new` rejects) that forwards to `make`.
  const ctor = function (...fields: A): object {
    return make(...fields);
  };
  // The function is constructible (see above); TypeScript only types classes as such.
  return ctor as unknown as StructConstructor;
}

function newArray(elements: SomValue[] | null, methodHolder: SomClass | null): SomArray {
  const array = new SomArray(elements ?? []);
  array.methodHolder = methodHolder;
  return array;
}
