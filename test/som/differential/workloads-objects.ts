/**
 * Workloads over the user objects: polymorphic send sites in hot loops (several user classes,
 * and built-in receivers, at one site), objects allocated in loops (most dead at the end of
 * their iteration, some escaping), field updates through methods and accessors,
 * `doesNotUnderstand:` answers, and bounded recursion.
 */
import { hotCount } from './loop-forms.ts';
import { population, type WorkloadMethod } from './workload-method.ts';

/** A site that sees every class of the population, plus an Integer/Double/String/user-object site. */
export function polymorphicSends(method: WorkloadMethod): void {
  const { rng, hierarchy } = method;
  const { receiver } = population(method);
  const candidates = ['acc := acc + (o op: i).', 'acc := acc + o weight.', 'acc := acc + (o fire: i).'];
  // An unknown selector at the polymorphic site when the root answers it.
  candidates.push(hierarchy.understandsEverything ? 'acc := acc + o zork.' : 'acc := acc + o describe length.');
  const sends = rng.sample(candidates, rng.int(1, 3));
  const period = rng.int(7, 40);
  method.local('acc', 'things').add('acc := 0.');
  method.loop(hotCount(rng), {
    temps: ['o'],
    statements: `o := ${receiver('i')}. ${sends.join(' ')} (i % ${period} = 0) ifTrue: [ o step: i ]`,
  });
  method.print('acc', 'acc').add(`objs do: [ :o | ('${method.selector} ' + o describe) println ].`);
  method.print('weights', 'objs inject: 0 into: [ :sum :o | sum + o weight ]');
  const others = rng.sample(
    ['3', '-2.5', "'text'", '9007199254740993', '#sym', `${hierarchy.classes[0]?.name ?? 'Object'} new`],
    3,
  );
  method.add(`things := Array with: ${others[0]} with: ${others[1]} with: ${others[2]}.`, 'acc := 0.');
  method.loop(hotCount(rng), { temps: [], statements: 'acc := acc + (things at: i % 3 + 1) asString length' });
  method.print('strings', 'acc');
}

/** Field updates in loops: `step:` through super chains, then accessors in a `whileTrue:`. */
export function fieldUpdates(method: WorkloadMethod): void {
  const { rng, hierarchy } = method;
  const target = rng.pick(hierarchy.classes);
  const field = hierarchy.classes[0]?.fields[0]?.name ?? 'f0a';
  const increment = rng.int(1, 9);
  method.local('o', 'n').add(`o := ${target.name} new.`);
  method.loop(hotCount(rng), { temps: [], statements: rng.chance(0.5) ? 'o step: i' : `o step: ${rng.int(-5, 40)}` });
  method.print('state', 'o describe').print('weight', 'o weight');
  method.add(`o ${field}: 0. n := 0.`);
  method.add(
    `[ o ${field} < ${increment * rng.int(50, 200)} ] whileTrue: [ o ${field}: o ${field} + ${increment}. n := n + 1 ].`,
  );
  method.print('count', 'n').print('field', `o ${field}`).print('again', 'o describe');
}

/** Unknown selectors answered by the root's `doesNotUnderstand:arguments:`. */
export function unknownMessages(method: WorkloadMethod): void {
  const { rng } = method;
  const { receiver } = population(method);
  method.local('acc').add('acc := 0.');
  method.loop(hotCount(rng), {
    temps: [],
    statements: `acc := acc + (${receiver('i')} frobnicate: i) + ${receiver('i + 1')} zork`,
  });
  method.print('dnu', 'acc').print('two', '(objs at: 1) foo: 1 bar: 2');
}

/** Bounded recursion (`fib:`, depth at most 10) at a polymorphic site. */
export function recursion(method: WorkloadMethod): void {
  const { rng } = method;
  const { receiver } = population(method);
  method.local('acc').add('acc := 0.');
  method.loop(rng.int(20, 50), { temps: [], statements: `acc := acc + (${receiver('i')} fib: i % ${rng.int(6, 11)})` });
  method.print('fib', 'acc');
}

/** Objects allocated in a hot loop: most are garbage after their iteration, some escape. */
export function allocations(method: WorkloadMethod): void {
  const { rng, hierarchy } = method;
  const { receiver } = population(method);
  const fixed = rng.pick(hierarchy.classes).name;
  const period = rng.int(5, 30);
  method.local('acc', 'last', 'boxes').add('acc := 0. last := objs at: 1. boxes := Array new: 4.');
  method.loop(hotCount(rng), {
    temps: ['o', 'pair'],
    statements:
      `o := ${rng.chance(0.5) ? `${fixed} new` : `${receiver('i')} class new`}. o step: i. acc := acc + o weight. ` +
      'pair := Array with: i with: o. acc := acc + ((pair at: 2) op: (pair at: 1)). ' +
      `(i % ${period} = 0) ifTrue: [ last := o. boxes at: i % 4 + 1 put: pair ]`,
  });
  method.print('acc', 'acc').print('last', 'last describe');
  method.print('boxes', 'boxes inject: 0 into: [ :n :b | b isNil ifTrue: [ n ] ifFalse: [ n + 1 ] ]');
}
