/**
 * String and collection workloads. SOM's String protocol is small (SOM.md §5.1): `+` and
 * `concatenate:` build strings, `length`, `charAt:`, `substringFrom:to:`, `indexOf:`,
 * `beginsWith:`, `split:`, `asSymbol` and `=` inspect them (there is no `size`, `at:` or
 * `printString`, and `,` builds a Vector). Arrays are filled with `at:put:` in hot loops and
 * walked with `do:`, `inject:into:`, `collect:`, `select:`; a Vector grows by `append:`.
 * Every index stays in bounds: strings and Vectors start non-empty, whatever the loops add.
 */
import { hotCount } from './loop-forms.ts';
import { numericExpression } from './numeric-expressions.ts';
import { population, type WorkloadMethod } from './workload-method.ts';

export function strings(method: WorkloadMethod): void {
  const { rng } = method;
  const { receiver } = population(method);
  const count = hotCount(rng);
  const period = rng.int(15, 40);
  method.local('s', 't', 'count').add("s := 'start;'.");
  method.loop(count, {
    temps: [],
    statements: `(i % ${period} = 0) ifTrue: [ s := s + ${receiver('i')} describe + ';' + i ]`,
  });
  method.print('length', 's length').print('head', 's substringFrom: 1 to: (s length min: 24)');
  method.print('where', "s indexOf: ';'").print('starts', `s beginsWith: '${rng.pick(['Base', 'Sub1', 'Sub2'])}'`);
  method
    .print('last', 's charAt: s length')
    .print('pieces', "((s substringFrom: 1 to: (s length min: 40)) split: ';') length");
  method.add("count := 0. t := 'ab'.");
  method.loop(hotCount(rng), {
    temps: [],
    statements:
      "t := (i % 3 = 0) ifTrue: [ 'ab' ] ifFalse: [ 'a' concatenate: 'b' ]. (t = 'ab') ifTrue: [ count := count + 1 ]. (t = #ab) ifTrue: [ count := count + 1 ]",
  });
  method.print('equal', 'count').print('symbol', `('w' + ${rng.int(1, 99)}) asSymbol`);
  method.add(`(${rng.int(1, 9)} , 'x' , ${rng.pick(['2.5', '#sym', "'y'"])}) println.`);
}

export function arrays(method: WorkloadMethod): void {
  const { rng } = method;
  const size = rng.int(4, 12);
  const value = numericExpression(rng, [{ name: 'i', kind: 'int' }], rng.chance(0.5) ? 'int' : 'num', 2);
  method.local('arr', 'sum', 'vec').add(`arr := Array new: ${size} withAll: 0.`);
  method.loop(hotCount(rng), {
    temps: ['k'],
    statements: `k := i % ${size} + 1. arr at: k put: (arr at: k) + ${value}`,
  });
  method.print('sum', 'arr inject: 0 into: [ :a :b | a + b ]').print('first', 'arr first').print('last', 'arr last');
  method.add('sum := 0. arr do: [ :e | sum := sum + (e % 97) ].').print('mod', 'sum');
  method.print('big', `(arr select: [ :e | e > ${rng.pick(['0', '100', '-5'])} ]) size`);
  method.print('where', 'arr indexOf: (arr at: 3)').print('copy', '(arr copyFrom: 2 to: 4) length');
  method.add('vec := Vector new. 1 to: 3 do: [ :k | vec append: k ].');
  method.loop(rng.int(20, 60), { temps: [], statements: `(i % ${rng.int(2, 6)} = 0) ifTrue: [ vec append: i * i ]` });
  method.print('vector', 'vec size').print('third', 'vec at: 3');
}
