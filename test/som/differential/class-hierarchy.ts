/**
 * The shape of a generated program's user classes: 2 to 4 classes under one root (a chain or
 * siblings), their instance fields, and which part of the protocol each class overrides. The
 * shape is what the workloads (workloads-*.ts) rely on: every class understands the whole
 * protocol below, `op:` answers the same kind of number in every class, and fields are
 * initialised by `init` (called from the root's class-side `new`), so no workload ever meets
 * `nil` or a message that is not understood unless it means to.
 *
 * The method sources themselves come from class-methods.ts.
 */
import type { NumKind } from './numeric-expressions.ts';
import type { Random } from './random.ts';

/**
 * The protocol every user class understands (the root defines each, subclasses may override):
 * - `init`: sets the fields (subclasses call `super init` first);
 * - `op: x`: a number of the hierarchy's `opKind` from `x` and the fields;
 * - `weight`: an Integer; `describe`: a String naming the class and its state;
 * - `step: i`: updates the Integer (and Double) fields, answers self;
 * - `eachFrom: start with: aBlock`: evaluates aBlock on `op:` of a few values (the end of the
 *   forwarding chain `each:` → ... that non-local returns unwind);
 * - `makeAdder: k`: answers a block that outlives the call and reads a field when run;
 * - `fire: x`: evaluates the block in the `action` field.
 */
export const OVERRIDABLE = ['op:', 'weight', 'describe', 'step:', 'eachFrom:with:', 'makeAdder:', 'fire:'] as const;
export type Overridable = (typeof OVERRIDABLE)[number];

export type FieldKind = 'int' | 'num';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
}

export interface ClassShape {
  readonly name: string;
  /** Index of the superclass in `ClassHierarchy.classes`; null for the root (a subclass of Object). */
  readonly superclass: number | null;
  /** Fields declared by this class (inherited ones are the superclass's). */
  readonly fields: readonly FieldSpec[];
  /** Selectors this class defines again (the root defines every one). */
  readonly overrides: ReadonlySet<Overridable>;
  /** Whether this class's `init` stores a block of its own in `action`. */
  readonly ownAction: boolean;
  /** Whether this class has a class-side `new` that calls `super new` (the root always has). */
  readonly classSideNew: boolean;
}

export interface ClassHierarchy {
  /** Root first; each class after its superclass. */
  readonly classes: readonly ClassShape[];
  /** What `op:` answers: always an Integer, or possibly a Double. */
  readonly opKind: NumKind;
  /** The root overrides `doesNotUnderstand:arguments:`, so unknown selectors answer a number. */
  readonly understandsEverything: boolean;
  /** The forwarding chain `each:`, `each1:`, ... before `eachFrom:with:` (1 to 3 methods). */
  readonly forwarders: readonly string[];
}

/** The names of the root's forwarding chain, outermost (the one workloads send) first. */
function forwarderNames(depth: number): string[] {
  return Array.from({ length: depth }, (_, level) => (level === 0 ? 'each:' : `each${level}:`));
}

function fieldsFor(rng: Random, index: number, opKind: NumKind): FieldSpec[] {
  const ints = rng.int(1, 2);
  const fields: FieldSpec[] = Array.from({ length: ints }, (_, k) => ({ name: `f${index}${'ab'[k]}`, kind: 'int' }));
  if (opKind === 'num' || rng.chance(0.3)) fields.push({ name: `f${index}d`, kind: 'num' });
  return fields;
}

function subclassShape(rng: Random, index: number, opKind: NumKind): ClassShape {
  const overrides = new Set<Overridable>(OVERRIDABLE.filter(() => rng.chance(0.45)));
  // Every subclass overrides op: or describe, so polymorphic sites see different methods.
  overrides.add(rng.pick(['op:', 'describe'] as const));
  return {
    name: `Sub${index}`,
    superclass: rng.int(0, index - 1),
    fields: fieldsFor(rng, index, opKind),
    overrides,
    ownAction: rng.chance(0.4),
    classSideNew: rng.chance(0.3),
  };
}

export function generateHierarchy(rng: Random): ClassHierarchy {
  const opKind: NumKind = rng.chance(0.5) ? 'int' : 'num';
  const root: ClassShape = {
    name: 'Base',
    superclass: null,
    fields: fieldsFor(rng, 0, opKind),
    overrides: new Set(OVERRIDABLE),
    ownAction: true,
    classSideNew: true,
  };
  const count = rng.int(2, 4);
  const classes = [root, ...Array.from({ length: count - 1 }, (_, k) => subclassShape(rng, k + 1, opKind))];
  return {
    classes,
    opKind,
    understandsEverything: rng.chance(0.5),
    forwarders: forwarderNames(rng.int(1, 3)),
  };
}

/** The class and its superclasses, the class itself first. */
export function lineage(hierarchy: ClassHierarchy, index: number): ClassShape[] {
  const chain: ClassShape[] = [];
  for (let at: number | null = index; at !== null;) {
    const shape: ClassShape | undefined = hierarchy.classes[at];
    if (shape === undefined) throw new Error(`no class at index ${at}`);
    chain.push(shape);
    at = shape.superclass;
  }
  return chain;
}

/** Every field an instance of the class has, inherited ones first (SOM's layout order). */
export function allFields(hierarchy: ClassHierarchy, index: number): FieldSpec[] {
  return lineage(hierarchy, index)
    .reverse()
    .flatMap((shape) => shape.fields);
}
