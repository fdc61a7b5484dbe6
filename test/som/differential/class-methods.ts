/**
 * SOM source of a generated program's user classes, from their shape (class-hierarchy.ts).
 * The root defines the whole protocol; a subclass redefines the selectors its shape lists,
 * usually through `super` (also from inside a block, and on the class side for `new`), so
 * lookups, super sends and field layouts differ between the receivers of one send site.
 *
 * Numbers stay affordable: `step:` either adds to a field or folds it modulo a large constant,
 * never multiplies a field by itself, so values cross the small/large integer boundaries
 * without growing without bound over a few hundred calls.
 */
import { allFields, type ClassHierarchy, type ClassShape, type Overridable } from './class-hierarchy.ts';
import { BOUNDARY_INTEGERS, DOUBLE_LITERALS, numericExpression, type NumVar } from './numeric-expressions.ts';
import type { Random } from './random.ts';

/** Moduli that keep a folded field below 2^62, 2^53 or 2^31, so its products cross them. */
const MODULI = ['4611686018427387847', '9007199254740881', '2147483629', '1000003'] as const;

interface ClassContext {
  readonly rng: Random;
  readonly hierarchy: ClassHierarchy;
  readonly index: number;
  readonly shape: ClassShape;
}

function fieldVars(context: ClassContext): NumVar[] {
  return allFields(context.hierarchy, context.index).map((f) => ({ name: f.name, kind: f.kind }));
}

function intFieldNames(context: ClassContext): string[] {
  return allFields(context.hierarchy, context.index)
    .filter((f) => f.kind === 'int')
    .map((f) => f.name);
}

/** An expression of the hierarchy's opKind over `argument` and the fields that reads `argument`. */
function argumentExpression(context: ClassContext, argument: string): string {
  const vars: NumVar[] = [{ name: argument, kind: 'int' }, ...fieldVars(context)];
  const expression = numericExpression(context.rng, vars, context.hierarchy.opKind, 2);
  // So that the value varies along the loop, rather than being one constant per receiver.
  return new RegExp(`\\b${argument}\\b`).test(expression) ? expression : `(${expression} + ${argument})`;
}

/** The `action` block: a number of the hierarchy's opKind from its argument and the fields. */
function actionBlock(context: ClassContext): string {
  return `[ :x | ${argumentExpression(context, 'x')} ]`;
}

function initMethod(context: ClassContext): string {
  const { rng, shape } = context;
  const stores = shape.fields.map(
    (f) =>
      `${f.name} := ${f.kind === 'int' ? (rng.chance(0.5) ? rng.pick(BOUNDARY_INTEGERS) : String(rng.int(-9, 99))) : rng.pick(DOUBLE_LITERALS)}.`,
  );
  if (shape.ownAction) stores.push(`action := ${actionBlock(context)}.`);
  const prefix = shape.superclass === null ? [] : ['super init.'];
  return `init = ( ${[...prefix, ...stores].join(' ')} )`;
}

function accessors(shape: ClassShape): string[] {
  const own = shape.fields
    .filter((f) => f.kind === 'int')
    .map((f) => `${f.name} = ( ^${f.name} ) ${f.name}: v = ( ${f.name} := v )`);
  return shape.superclass === null ? [...own, 'action: aBlock = ( action := aBlock )'] : own;
}

function opMethod(context: ClassContext, isRoot: boolean): string {
  const { rng } = context;
  const expression = (argument: string): string => argumentExpression(context, argument);
  if (isRoot) return `op: x = ( ^${expression('x')} )`;
  switch (rng.int(0, 3)) {
    case 0:
      return `op: x = ( ^(super op: x) + ${expression('x')} )`;
    case 1:
      return `op: x = ( ^${expression('x')} )`;
    case 2:
      return `op: x = ( ^[ :y | (super op: y) - ${expression('y')} ] value: x )`;
    default:
      return `op: x = ( | t | t := super op: x + 1. ^t * 2 )`;
  }
}

function weightMethod(context: ClassContext, isRoot: boolean): string {
  const { rng } = context;
  const vars: NumVar[] = intFieldNames(context).map((name) => ({ name, kind: 'int' }));
  if (isRoot) return `weight = ( ^${numericExpression(rng, vars, 'int', 1)} )`;
  return rng.chance(0.7)
    ? `weight = ( ^super weight * ${rng.int(2, 5)} + ${numericExpression(rng, vars, 'int', 1)} )`
    : `weight = ( ^${numericExpression(rng, vars, 'int', 2)} )`;
}

function describeMethod(context: ClassContext, isRoot: boolean): string {
  const { rng, shape } = context;
  const state = shape.fields.map((f) => `${f.name} asString`).join(" + ',' + ");
  if (isRoot) return `describe = ( ^'${shape.name}(' + ${state} + ')' )`;
  return rng.chance(0.7)
    ? `describe = ( ^super describe + ' ${shape.name}:' + ${state} )`
    : `describe = ( ^'${shape.name} w=' + self weight asString )`;
}

function fieldUpdate(context: ClassContext, name: string, kind: 'int' | 'num'): string {
  const { rng } = context;
  const index: NumVar[] = [{ name: 'i', kind: 'int' }];
  if (kind === 'num') return `${name} := (${name} * 0.5) + ${numericExpression(rng, index, 'num', 1)}.`;
  return rng.chance(0.5)
    ? `${name} := ${name} + ${numericExpression(rng, index, 'int', 1)}.`
    : `${name} := ((${name} * ${rng.pick(['31', '-7', '1000003', '4294967311'])}) + i) % ${rng.pick(MODULI)}.`;
}

function stepMethod(context: ClassContext, isRoot: boolean): string {
  const { rng, shape } = context;
  const updates = shape.fields.map((f) => fieldUpdate(context, f.name, f.kind)).join(' ');
  if (isRoot) return `step: i = ( ${updates} )`;
  return rng.chance(0.75)
    ? `step: i = ( super step: i. ${updates} )`
    : `step: i = ( super step: i + ${rng.int(1, 9)} )`;
}

function eachFromMethod(context: ClassContext, isRoot: boolean): string {
  const { rng } = context;
  if (isRoot) {
    const span = rng.int(3, 8);
    return rng.chance(0.6)
      ? `eachFrom: start with: aBlock = ( start to: start + ${span} do: [ :k | aBlock value: (self op: k) ] )`
      : `eachFrom: start with: aBlock = ( | k | k := start. [ k <= (start + ${span}) ] whileTrue: [ aBlock value: (self op: k). k := k + 1 ] )`;
  }
  return rng.chance(0.5)
    ? `eachFrom: start with: aBlock = ( ^super eachFrom: start + ${rng.int(1, 5)} with: aBlock )`
    : `eachFrom: start with: aBlock = ( aBlock value: self weight. ^super eachFrom: start with: aBlock )`;
}

function makeAdderMethod(context: ClassContext, isRoot: boolean): string {
  const { rng } = context;
  const field = rng.pick(intFieldNames(context));
  if (isRoot) return `makeAdder: k = ( ^[ :x | x + k + ${field} ] )`;
  return rng.chance(0.6)
    ? `makeAdder: k = ( | inner | inner := super makeAdder: k * 2. ^[ :x | (inner value: x) - ${field} ] )`
    : `makeAdder: k = ( ^[ :x | (x * k) - ${field} ] )`;
}

function fireMethod(context: ClassContext, isRoot: boolean): string {
  if (isRoot) return 'fire: x = ( ^action value: x )';
  return context.rng.chance(0.5)
    ? 'fire: x = ( ^(super fire: x) + (action value: 1) )'
    : 'fire: x = ( ^action value: x + 2 )';
}

const METHOD_SOURCES: Readonly<Record<Overridable, (context: ClassContext, isRoot: boolean) => string>> = {
  'op:': opMethod,
  weight: weightMethod,
  describe: describeMethod,
  'step:': stepMethod,
  'eachFrom:with:': eachFromMethod,
  'makeAdder:': makeAdderMethod,
  'fire:': fireMethod,
};

/** Methods only the root has: the forwarding chain, recursion, and the optional DNU handler. */
function rootOnlyMethods(hierarchy: ClassHierarchy): string[] {
  const { forwarders } = hierarchy;
  const chain = forwarders.map((selector, level) => {
    const next = forwarders[level + 1];
    const call = next === undefined ? 'self eachFrom: 1 with: aBlock' : `self ${next} aBlock`;
    return level % 2 === 0 ? `${selector} aBlock = ( ^${call} )` : `${selector} aBlock = ( ${call}. ^nil )`;
  });
  const recursion = 'fib: n = ( ^n < 2 ifTrue: [ n ] ifFalse: [ (self fib: n - 1) + (self fib: n - 2) ] )';
  const dnu =
    'doesNotUnderstand: selector arguments: args = ( ^args length = 0 ifTrue: [ selector length ] ifFalse: [ (args at: 1) + selector length ] )';
  return [...chain, recursion, ...(hierarchy.understandsEverything ? [dnu] : [])];
}

function classSide(shape: ClassShape): string {
  if (!shape.classSideNew) return '';
  return shape.superclass === null
    ? '\n    ----\n    new = ( ^super new init )'
    : '\n    ----\n    new = ( | o | o := super new. o step: 1. ^o )';
}

/** The source file of class `index` of the hierarchy. */
export function classSource(rng: Random, hierarchy: ClassHierarchy, index: number): string {
  const shape = hierarchy.classes[index];
  if (shape === undefined) throw new Error(`no class at index ${index}`);
  const context: ClassContext = { rng, hierarchy, index, shape };
  const isRoot = shape.superclass === null;
  const superName = isRoot ? '' : `${hierarchy.classes[shape.superclass ?? 0]?.name ?? 'Object'} `;
  const fieldNames = [...shape.fields.map((f) => f.name), ...(isRoot ? ['action'] : [])];
  const methods = [
    initMethod(context),
    ...accessors(shape),
    ...[...shape.overrides].map((selector) => METHOD_SOURCES[selector](context, isRoot)),
    ...(isRoot ? rootOnlyMethods(hierarchy) : []),
  ];
  return `${shape.name} = ${superName}(\n    | ${fieldNames.join(' ')} |\n    ${methods.join('\n    ')}${classSide(shape)}\n)\n`;
}
