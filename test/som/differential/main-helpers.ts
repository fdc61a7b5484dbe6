/**
 * Methods of the generated main class that workloads send to self: the population of user
 * objects a polymorphic send site cycles through, and the home methods of blocks that return
 * non-locally (through the user classes' forwarding chain, through the library's `doIndexes:`,
 * from nested blocks) or escape (a counter closure, a block whose home has returned when its
 * `^` runs, answered by the main class's own `escapedBlock:`), and the reflection that replaces
 * a method in a class's `methods` array.
 */
import type { ClassHierarchy } from './class-hierarchy.ts';
import type { Random } from './random.ts';

export const MAIN_HELPERS = [
  'population',
  'findIn:above:',
  'indexIn:of:',
  'nested:',
  'makeCounter',
  'escaper:',
  'keep:',
  'methodOf:in:',
] as const;
export type MainHelper = (typeof MAIN_HELPERS)[number];

/** An Array of 3 to 6 user objects: every class at least once, in a random order. */
function populationSource(rng: Random, hierarchy: ClassHierarchy): string {
  const names = hierarchy.classes.map((c) => c.name);
  const members = [...rng.sample(names, names.length)];
  while (members.length < 3 || (members.length < 6 && rng.chance(0.4))) members.push(rng.pick(names));
  const stores = members.map((name, k) => `objs at: ${k + 1} put: ${name} new.`).join(' ');
  return `population = ( | objs | objs := Array new: ${members.length}. ${stores} ^objs )`;
}

function helperSource(helper: MainHelper, rng: Random, hierarchy: ClassHierarchy): string {
  switch (helper) {
    case 'population':
      return populationSource(rng, hierarchy);
    case 'findIn:above:':
      return `findIn: o above: limit = ( o ${hierarchy.forwarders[0] ?? 'each:'} [ :v | v > limit ifTrue: [ ^v ] ]. ^-1 )`;
    case 'indexIn:of:':
      return 'indexIn: arr of: v = ( arr doIndexes: [ :k | (arr at: k) = v ifTrue: [ ^k ] ]. ^0 )';
    case 'nested:':
      return 'nested: a = ( ^[ :p | [ :q | q > 3 ifTrue: [ ^q * 10 ]. q ] value: p + 1 ] value: a )';
    case 'makeCounter':
      return 'makeCounter = ( | n | n := 0. ^[ n := n + 1. n ] )';
    case 'escaper:':
      return 'escaper: k = ( ^[ :x | x > k ifTrue: [ ^x ]. x + k ] )\n    escapedBlock: aBlock = ( ^-7 )';
    case 'keep:':
      return 'keep: aBlock = ( kept := aBlock )\n    callKept: x = ( ^kept value: x )';
    case 'methodOf:in:':
      return (
        'methodOf: selector in: aClass = ( aClass methods do: [ :m | m signature = selector ifTrue: [ ^m ] ]. ^nil )\n' +
        '    install: aMethod as: selector in: aClass = ( | methods | methods := aClass methods. ' +
        '1 to: methods length do: [ :k | (methods at: k) signature = selector ifTrue: [ methods at: k put: aMethod ] ] )'
      );
  }
}

/**
 * Every helper's source, drawn once per program, so that the program shrunk to fewer
 * workloads keeps the same population and helpers.
 */
export function generateHelpers(rng: Random, hierarchy: ClassHierarchy): Readonly<Record<MainHelper, string>> {
  return Object.fromEntries(MAIN_HELPERS.map((h) => [h, helperSource(h, rng, hierarchy)])) as Record<
    MainHelper,
    string
  >;
}
