/**
 * Reflective workloads, which change what compiled code may have assumed while a loop runs:
 * `perform:` at a polymorphic site, a global rebound inside a loop that reads it, and a
 * method of a user class replaced through its `methods` array in the middle of a hot loop
 * (SOM.md §3.2), then put back, so that the workloads after it see the classes as generated.
 */
import { lineage } from './class-hierarchy.ts';
import { hotCount } from './loop-forms.ts';
import { population, type WorkloadMethod } from './workload-method.ts';

const SWAPPABLE = ['op:', 'weight'] as const;
const SEND: Readonly<Record<(typeof SWAPPABLE)[number], string>> = { 'op:': '(o op: i)', weight: 'o weight' };

/** `perform:` at a polymorphic site, and a global rebound while a loop reads it. */
export function reflectiveSends(method: WorkloadMethod): void {
  const { rng } = method;
  const { receiver } = population(method);
  method.local('acc').add('acc := 0. system global: #DiffShared put: 0.');
  method.loop(hotCount(rng), {
    temps: ['o'],
    statements:
      `o := ${receiver('i')}. acc := acc + (o perform: #weight) + (o perform: #op: withArguments: (Array with: i)). ` +
      `(i % ${rng.int(10, 60)} = 0) ifTrue: [ system global: #DiffShared put: i ]. acc := acc + DiffShared`,
  });
  method.print('reflective', 'acc').print('shared', 'DiffShared');
}

/**
 * A subclass's `op:` or `weight` replaced, halfway through a loop that sends it, by the method
 * its superclass chain would find (the borrowed code reads only inherited fields, which every
 * subclass lays out the same way), and restored after the loop. When no subclass overrides
 * either selector, the loop only sends `weight`: there is nothing to swap.
 */
export function methodSwaps(method: WorkloadMethod): void {
  const { rng, hierarchy } = method;
  const { receiver } = population(method);
  const candidates = hierarchy.classes.flatMap((shape, index) =>
    shape.superclass === null
      ? []
      : SWAPPABLE.filter((s) => shape.overrides.has(s)).map((selector) => ({ shape, index, selector })),
  );
  const count = hotCount(rng);
  method.local('acc', 'saved').add('acc := 0.');
  if (candidates.length === 0) {
    method.loop(count, { temps: ['o'], statements: `o := ${receiver('i')}. acc := acc + o weight` });
    method.print('unswapped', 'acc');
    return;
  }
  const { shape, index, selector } = rng.pick(candidates);
  const donor = lineage(hierarchy, index)
    .slice(1)
    .find((s) => s.overrides.has(selector));
  // Odd, so that loops stepping by 2 from 1 reach it too.
  const middle = 2 * Math.floor(count / 4) + 1;
  const swap = `self install: (self methodOf: #${selector} in: ${donor?.name ?? 'Base'}) as: #${selector} in: ${shape.name}`;
  method.uses('methodOf:in:').add(`saved := self methodOf: #${selector} in: ${shape.name}.`);
  method.loop(count, {
    temps: ['o'],
    statements: `(i = ${middle}) ifTrue: [ ${swap} ]. o := ${receiver('i')}. acc := acc + ${SEND[selector]}`,
  });
  method.add(`self install: saved as: #${selector} in: ${shape.name}.`);
  method.print('swapped', 'acc');
}
