/**
 * Object primitives (SOM.md §9.1): class, size, identity and its hash, debugging hooks, the
 * `perform:` family and field access by index or name.
 *
 * Identity is JS identity, except that numbers compare by value (SOM.md §4.5's
 * recommendation): two Doubles are `==` when they are the same IEEE value (`Object.is`: every
 * NaN is one value, 0.0 and -0.0 are two), two Integers when they are equal, and a Double and
 * an Integer when they are numerically equal, exactly (`1.0 == 1`, as `=` answers; big
 * Integers compare exactly too). So whether the VM boxed a number once or twice never shows,
 * and `hashcode` (hashcodes.ts) agrees with `==`.
 */
import type { Frame } from '../model/frame.ts';
import { SomClass } from '../model/class.ts';
import { classOf, SomArray, SomDouble, SomObject, SomString, SomSymbol, type SomValue } from '../model/objects.ts';
import { compareIntegerWithDouble, intEquals, intToString, isInteger } from '../model/integers.ts';
import { formatDouble } from '../model/double-format.ts';
import { doesNotUnderstand, invokeWithArgs, sendMessage } from '../invoke.ts';
import { vm } from '../vm-state.ts';
import { SomRuntimeError } from '../signals.ts';
import { objectHash } from './hashcodes.ts';
import { arrayOperand, checkArity, classOperand, className, slotOffset, symbolOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

/**
 * @jit.handler `Object>>#==`: identity, by value for numbers (see the header). Traced: on two
 * objects, one comparison in a trace.
 */
export function identical(_caller: Frame, a: SomValue, b: SomValue): boolean {
  if (a === b) return true;
  if (a instanceof SomDouble) {
    if (b instanceof SomDouble) return sameDouble(a.value, b.value);
    return isInteger(b) && compareIntegerWithDouble(b, a.value) === 0;
  }
  if (!isInteger(a)) return false;
  if (b instanceof SomDouble) return compareIntegerWithDouble(a, b.value) === 0;
  return isInteger(b) && intEquals(a, b);
}

/** @jit.residual Two doubles are the same Double (`Object.is`: NaN is itself, -0 is not 0). */
function sameDouble(x: number, y: number): boolean {
  return Object.is(x, y);
}

/** The field slots of `value`: an instance's fields, a class's class-side fields; else none. */
function fieldsOf(value: SomValue): SomValue[] | null {
  if (value instanceof SomObject || value instanceof SomClass) return value.fields;
  return null;
}

/** som-java's rule (SOM.md §9.1): 1 for the header, plus fields, plus array slots. */
function objectSize(value: SomValue): number {
  if (value instanceof SomArray) return 1 + value.elements.length;
  return 1 + (fieldsOf(value)?.length ?? 0);
}

/** A value in one line for `inspect`, without running SOM code. */
function shortDescription(value: SomValue): string {
  if (value === null || typeof value === 'boolean') return String(value ?? 'nil');
  if (isInteger(value)) return intToString(value);
  if (value instanceof SomDouble) return formatDouble(value.value);
  if (value instanceof SomSymbol) return `#${value.s}`;
  if (value instanceof SomString) return `'${value.s}'`;
  if (value instanceof SomClass) return value.name.s;
  return `instance of ${className(value)}`;
}

/** `Object>>#inspect`: the receiver and its fields (named) on one line of stderr. */
function inspect(value: SomValue): string {
  const fields = fieldsOf(value);
  if (fields === null || fields.length === 0) return shortDescription(value);
  const names = classOf(value).instanceFieldNames;
  const shown = fields.map((v, i) => `${names[i]?.s ?? i + 1}: ${shortDescription(v)}`);
  return `${shortDescription(value)} (${shown.join(', ')})`;
}

/** Sends `selector` with `args`, looked up from the class `start` (undefined: the receiver's class). */
function perform(
  caller: Frame,
  rcvr: SomValue,
  selector: SomValue,
  args: readonly SomValue[],
  start: SomValue | undefined,
): SomValue {
  const sym = symbolOperand(selector);
  checkArity(args.length, sym.numArgs);
  if (start === undefined) return sendMessage(caller, rcvr, sym, args);
  const invokable = classOperand(start).lookup(sym);
  if (invokable === null) return doesNotUnderstand(caller, rcvr, sym, args);
  return invokeWithArgs(invokable, caller, rcvr, args);
}

function fieldIndexNamed(rcvr: SomValue, name: SomValue): number {
  const text = symbolOperand(name).s;
  const index = classOf(rcvr).instanceFieldNames.findIndex((n) => n.s === text);
  if (index < 0 || index >= (fieldsOf(rcvr)?.length ?? 0)) {
    throw new SomRuntimeError(`No field named '${text}' in ${className(rcvr)}.`);
  }
  return index;
}

export const OBJECT_PRIMITIVES: ClassPrimitives = {
  instance: {
    class: (_caller, rcvr) => classOf(rcvr),
    objectSize: (_caller, rcvr) => objectSize(rcvr),
    '==': identical,
    hashcode: (_caller, rcvr) => objectHash(rcvr),
    inspect: (_caller, rcvr) => {
      vm.services.writeErr(`${inspect(rcvr)}\n`);
      return rcvr;
    },
    halt: (_caller, rcvr) => {
      vm.services.writeErr('BREAKPOINT\n');
      return rcvr;
    },
    'perform:': (caller, rcvr, sel) => perform(caller, rcvr, sel, [], undefined),
    'perform:withArguments:': (caller, rcvr, sel, args) =>
      perform(caller, rcvr, sel, arrayOperand(args).elements, undefined),
    'perform:inSuperclass:': (caller, rcvr, sel, cls) => perform(caller, rcvr, sel, [], cls),
    'perform:withArguments:inSuperclass:': (caller, rcvr, sel, args, cls) =>
      perform(caller, rcvr, sel, arrayOperand(args).elements, cls),
    'instVarAt:': (_caller, rcvr, idx) => {
      const fields = fieldsOf(rcvr) ?? [];
      // Invariant: slotOffset answers only offsets below fields.length.
      return fields[slotOffset(idx, fields.length, 'object')]!;
    },
    'instVarAt:put:': (_caller, rcvr, idx, value) => {
      const fields = fieldsOf(rcvr) ?? [];
      fields[slotOffset(idx, fields.length, 'object')] = value;
      return rcvr;
    },
    // Invariant: fieldIndexNamed answers only indices of existing field slots.
    'instVarNamed:': (_caller, rcvr, name) => fieldsOf(rcvr)![fieldIndexNamed(rcvr, name)]!,
  },
  classSide: {},
};
