/**
 * Block workloads: non-local returns taken inside hot loops (through the user classes'
 * forwarding chain and their super sends, through the library's `doIndexes:`, from nested
 * blocks), blocks that escape their home (stored in Arrays, in fields of user objects and of
 * the main object, answered by methods, closures over variables that outlive their method),
 * and `^` from a block whose home has returned.
 */
import { hotCount } from './loop-forms.ts';
import { numericExpression } from './numeric-expressions.ts';
import { population, type WorkloadMethod } from './workload-method.ts';

/** `^` through the user classes' forwarding chain (and their super sends) to `findIn:above:`. */
function throughForwarders(method: WorkloadMethod): void {
  const { rng } = method;
  const { receiver } = population(method);
  const limit = rng.pick(['(i % 23) * 3', 'i * 1000', '(i % 5) - 2', '9007199254740993', 'i * i']);
  method.uses('findIn:above:').local('acc').add('acc := 0.');
  method.loop(hotCount(rng), { temps: [], statements: `acc := acc + (self findIn: ${receiver('i')} above: ${limit})` });
  method.print('found', 'acc');
}

/** `^` from a block inside another block, neither inlined. */
function fromNestedBlocks(method: WorkloadMethod): void {
  method.uses('nested:').local('acc').add('acc := 0.');
  method.loop(hotCount(method.rng), { temps: [], statements: 'acc := acc + (self nested: i % 7)' });
  method.print('nested', 'acc');
}

/** `^` through the library's `Array>>#doIndexes:`. */
function throughLibrary(method: WorkloadMethod): void {
  const { rng } = method;
  method.uses('indexIn:of:').local('acc', 'arr');
  method.add(`arr := Array new: 9 withAll: [ ${rng.int(1, 5)} ].`, 'arr at: 7 put: 42.', 'acc := 0.');
  method.loop(hotCount(rng), { temps: [], statements: 'acc := acc + (self indexIn: arr of: i % 50)' });
  method.print('indexed', 'acc');
}

/** Non-local returns taken on some iterations only (mostly through the forwarding chain). */
export function nonLocalReturns(method: WorkloadMethod): void {
  method.rng.pick([throughForwarders, throughForwarders, throughForwarders, fromNestedBlocks, throughLibrary])(method);
}

function blocksInArray(method: WorkloadMethod): void {
  const { rng } = method;
  const size = rng.int(3, 7);
  const expression = numericExpression(
    rng,
    [
      { name: 'x', kind: 'int' },
      { name: 'k', kind: 'int' },
    ],
    'num',
    2,
  );
  method.local('blocks', 'acc').add(`blocks := Array new: ${size}.`);
  method.add(`1 to: ${size} do: [ :k | blocks at: k put: [ :x | (x * k) + ${expression} ] ].`, 'acc := 0.');
  method.loop(hotCount(rng), { temps: [], statements: `acc := acc + ((blocks at: i % ${size} + 1) value: i)` });
  method.print('blocks', 'acc');
}

function addersFromMethods(method: WorkloadMethod): void {
  const { rng } = method;
  population(method);
  method.local('adders', 'acc').add(`adders := objs collect: [ :o | o makeAdder: ${rng.int(-3, 9)} ].`, 'acc := 0.');
  method.loop(hotCount(rng), {
    temps: [],
    statements: `acc := acc + ((adders at: i % adders length + 1) value: i). (i % ${rng.int(5, 30)} = 0) ifTrue: [ (objs at: 1) step: i ]`,
  });
  method.print('adders', 'acc');
}

function counters(method: WorkloadMethod): void {
  const { rng } = method;
  method.uses('makeCounter').local('counter', 'other').add('counter := self makeCounter. other := self makeCounter.');
  method.loop(hotCount(rng), {
    temps: [],
    statements: `counter value. (i % ${rng.int(2, 9)} = 0) ifTrue: [ other value ]`,
  });
  method.print('counter', 'counter value').print('other', 'other value');
}

function actionsInFields(method: WorkloadMethod): void {
  const { rng } = method;
  population(method);
  method.uses('keep:').local('base', 'acc').add('base := 1. acc := 0.');
  method.add(`(objs at: 1) action: [ :x | x + base ].`, `self keep: [ :x | (x * ${rng.int(2, 9)}) - base ].`);
  method.loop(hotCount(rng), {
    temps: ['o'],
    statements: 'o := objs at: i % objs length + 1. acc := acc + (o fire: i) + (self callKept: i). base := base + 1',
  });
  method.print('actions', 'acc');
}

/** Two or three kinds of escaping blocks. */
export function escapingBlocks(method: WorkloadMethod): void {
  const patterns = [blocksInArray, addersFromMethods, counters, actionsInFields];
  for (const pattern of method.rng.sample(patterns, method.rng.int(2, 3))) pattern(method);
}

/** `^` in a block whose home has returned: the main class's `escapedBlock:` answers -7. */
export function escapedBlocks(method: WorkloadMethod): void {
  const { rng } = method;
  method
    .uses('escaper:')
    .local('escaper', 'acc')
    .add(`escaper := self escaper: ${rng.int(10, 80)}.`, 'acc := 0.');
  method.loop(hotCount(rng), { temps: [], statements: 'acc := acc + (escaper value: i)' });
  method.print('escaped', 'acc');
}
