/**
 * Heap caching: loads and stores the trace already knows the outcome of (PyPy's
 * optimizeopt/heap.py, LuaJIT's lj_opt_mem.c load forwarding and dead-store elimination).
 *
 * One forward pass keeps what the trace knows the heap holds, in new-trace operands:
 * - field contents, per FieldDescr and object: a getfield records what it read, a setfield what
 *   it wrote, a new_struct its fields; a getfield of a known (object, field) reads the known
 *   value instead (load forwarding, store-to-load forwarding), and a setfield of the value the
 *   field is known to hold is dropped;
 * - array items, per array and index operand, the same way (getarrayitem, setarrayitem);
 * - array lengths (new_array, arraylen), which nothing invalidates: arrays in this IR are
 *   fixed-size. No IR operation changes a length (setarrayitem only writes within bounds: the
 *   reference evaluator rejects any other index), and the VM's functions that traces call must not
 *   resize an array a trace can see (SOM arrays are fixed-size; a growing Vector replaces its
 *   array). That is the contract of `arraylen` in ops.ts, and what lets the backend keep a length
 *   in a local.
 * Invalidation: a setfield of F on an object drops F of every other object that may alias it
 * (aliasing.ts); a setarrayitem drops the items of arrays that may alias it at indexes that may
 * be equal; a residual `call` may write anything, so it drops every mutable field and every
 * array item (immutable fields, FieldDescr.immutable, and lengths survive it). Elidable calls and
 * guards write nothing.
 *
 * A peeled loop's `label`: what holds at the end of the preamble holds at the start of every
 * iteration only if the body cannot change it, so the facts the body may invalidate are dropped
 * there (one scan of the body: the fields it stores into objects not allocated in the body, whether
 * it stores into arrays, whether it makes a residual call). What survives is how loads of
 * loop-invariant fields move into the preamble.
 *
 * Then dead-stores.ts removes stores overwritten before anything may read them.
 */
import type { FieldDescr } from '../ir/descriptors.ts';
import { type IrOp, hasFlag } from '../ir/ops.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import { type IrRef, type Operand, isConstant } from '../ir/types.ts';
import { Allocations, mayBeSameIndex } from './aliasing.ts';
import { removeDeadStores } from './dead-stores.ts';

export function heapCache(trace: Trace): Trace {
  return removeDeadStores(new HeapPass(trace).run());
}

/** object (or array) -> field value (or index -> item). */
type Contents = Map<Operand, Operand>;

class HeapPass {
  readonly w: TraceRewriter;
  /** What each field of each object is known to hold. */
  readonly fields = new Map<FieldDescr, Contents>();
  /** What each array is known to hold at each index operand. */
  readonly items = new Map<Operand, Contents>();
  readonly lengths: Contents = new Map();
  /** Objects the new trace allocates (aliasing rules). */
  readonly allocations = new Allocations();

  constructor(readonly source: Trace) {
    this.w = new TraceRewriter(source);
  }

  run(): Trace {
    for (const instruction of this.source.ops) {
      // What a rule emits in place of the instruction comes from it (trace dumps show origins).
      this.w.setOrigin(instruction.origin);
      (RULES[instruction.op] ?? copyRule)(this, instruction);
    }
    return this.w.finish();
  }

  field(operand: Operand): FieldDescr {
    return this.source.constants.field(operand);
  }

  fieldContents(field: FieldDescr): Contents {
    let contents = this.fields.get(field);
    if (contents === undefined) this.fields.set(field, (contents = new Map()));
    return contents;
  }

  arrayContents(array: Operand): Contents {
    let contents = this.items.get(array);
    if (contents === undefined) this.items.set(array, (contents = new Map()));
    return contents;
  }

  /** A load: the known value if there is one (the load goes), else the load, whose result is now known. */
  load(instruction: Instruction, contents: Contents, key: Operand): void {
    const known = contents.get(key);
    if (known !== undefined) {
      this.w.setRename(instruction.result as IrRef, known);
      return;
    }
    const result = this.w.copy(instruction);
    if (result !== null) contents.set(key, result);
  }

  /** `object.field = value` has been stored: other objects that may be `object` no longer know `field`. */
  storedField(field: FieldDescr, object: Operand, value: Operand): void {
    const contents = this.fieldContents(field);
    for (const other of contents.keys()) {
      if (other !== object && this.allocations.mayAlias(other, object)) contents.delete(other);
    }
    contents.set(object, value);
  }

  storedItem(array: Operand, index: Operand, value: Operand): void {
    for (const [other, contents] of this.items) {
      if (!this.allocations.mayAlias(other, array)) continue;
      for (const known of contents.keys()) {
        if (!(other === array && known === index) && mayBeSameIndex(known, index)) contents.delete(known);
      }
    }
    this.arrayContents(array).set(index, value);
  }

  /** After a residual call: only immutable fields (and lengths) are still known. */
  forgetMutable(): void {
    for (const field of this.fields.keys()) if (!field.immutable) this.fields.delete(field);
    this.items.clear();
  }

  /** At the label: forget what the loop body may change. */
  forgetWrittenByBody(): void {
    const body = bodyEffects(this.source);
    if (body.residualCall) return this.forgetMutable();
    for (const field of body.fields) this.fields.delete(field);
    if (body.arrays) this.items.clear();
  }
}

type Rule = (p: HeapPass, instruction: Instruction) => void;

const copyRule: Rule = (p, instruction) => void p.w.copy(instruction);

const RULES: Partial<Record<IrOp, Rule>> = {
  getfield: (p, instruction) => {
    const [object, field] = p.w.renameAll(instruction.args) as [Operand, Operand];
    p.load(instruction, p.fieldContents(p.field(field)), object);
  },
  setfield: (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    const [object, field, value] = args as [Operand, Operand, Operand];
    const descr = p.field(field);
    if (p.fields.get(descr)?.get(object) === value) return; // stores what is there already
    p.w.copyWith(instruction, args);
    p.storedField(descr, object, value);
  },
  new_struct: (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    const object = p.w.copyWith(instruction, args);
    if (object === null) return;
    p.allocations.add(object);
    const descr = p.source.constants.struct(args[0] as Operand);
    descr.fields.forEach((field, i) => p.fieldContents(field).set(object, args[i + 1] as Operand));
  },
  new_array: (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    const array = p.w.copyWith(instruction, args);
    if (array === null) return;
    p.allocations.add(array);
    p.lengths.set(array, args[0] as Operand);
  },
  arraylen: (p, instruction) => p.load(instruction, p.lengths, p.w.rename(instruction.args[0] as Operand)),
  getarrayitem: (p, instruction) => {
    const [array, index] = p.w.renameAll(instruction.args) as [Operand, Operand];
    p.load(instruction, p.arrayContents(array), index);
  },
  setarrayitem: (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    const [array, index, value] = args as [Operand, Operand, Operand];
    if (p.items.get(array)?.get(index) === value) return; // stores what is there already
    p.w.copyWith(instruction, args);
    p.storedItem(array, index, value);
  },
  call: (p, instruction) => {
    p.w.copy(instruction);
    p.forgetMutable();
  },
  label: (p, instruction) => {
    p.w.copy(instruction);
    p.forgetWrittenByBody();
  },
};

interface BodyEffects {
  /** Fields stored into objects that existed before the iteration began. */
  readonly fields: Set<FieldDescr>;
  /** Whether items of such arrays are stored. */
  arrays: boolean;
  residualCall: boolean;
}

/** What the loop body after the label may change of the objects the preamble knows. */
function bodyEffects(trace: Trace): BodyEffects {
  const effects: BodyEffects = { fields: new Set(), arrays: false, residualCall: false };
  const allocatedInBody = (target: Operand): boolean => {
    const producer = isConstant(target) ? null : trace.producer(target);
    return producer !== null && hasFlag(producer.op, 'alloc') && trace.definedAt[target]! > trace.labelIndex;
  };
  for (let index = trace.labelIndex + 1; index < trace.ops.length; index++) {
    const { op, args } = trace.ops[index]!;
    if (op === 'call') effects.residualCall = true;
    else if (op === 'setfield' && !allocatedInBody(args[0]!)) effects.fields.add(trace.constants.field(args[1]!));
    else if (op === 'setarrayitem' && !allocatedInBody(args[0]!)) effects.arrays = true;
  }
  return effects;
}
