/**
 * A workload: one method `wN` of the generated main class, with its own locals, that exercises
 * the user classes in hot loops and prints what it computed, each line prefixed with its
 * label so that a difference points at the workload that printed it. Workloads are
 * independent of each other (each builds the objects it uses), which is what lets the test
 * shrink a failing program by dropping workloads.
 *
 * `WorkloadMethod` collects a workload's locals, statements and the main-class helpers it sends
 * to (main-helpers.ts), then renders the method.
 */
import type { ClassHierarchy } from './class-hierarchy.ts';
import { countingLoop, type LoopBody } from './loop-forms.ts';
import type { MainHelper } from './main-helpers.ts';
import type { Random } from './random.ts';

export const WORKLOAD_KINDS = [
  'polymorphicSends',
  'allocations',
  'reflectiveSends',
  'methodSwaps',
  'fieldUpdates',
  'bigIntegers',
  'doubles',
  'nonLocalReturns',
  'escapingBlocks',
  'strings',
  'arrays',
  'unknownMessages',
  'recursion',
  'escapedBlocks',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface Workload {
  /** The method's selector, also the prefix of every line it prints. */
  readonly selector: string;
  readonly kind: WorkloadKind;
  readonly source: string;
  readonly helpers: readonly MainHelper[];
}

export class WorkloadMethod {
  private readonly locals = new Set<string>();
  private readonly statements: string[] = [];
  private readonly helpers = new Set<MainHelper>();

  constructor(
    readonly rng: Random,
    readonly hierarchy: ClassHierarchy,
    readonly selector: string,
  ) {}

  local(...names: string[]): this {
    for (const name of names) this.locals.add(name);
    return this;
  }

  add(...statements: string[]): this {
    this.statements.push(...statements);
    return this;
  }

  /** Records that the workload sends `helper` to self. */
  uses(helper: MainHelper): this {
    this.helpers.add(helper);
    return this;
  }

  loop(count: number, body: LoopBody): this {
    const loop = countingLoop(this.rng, count, body);
    return this.local(...loop.locals).add(loop.code);
  }

  /** Prints `what` and the value of `expression` (any object: `+` sends it asString). */
  print(what: string, expression: string): this {
    return this.add(`('${this.selector} ${what} ' + (${expression})) println.`);
  }

  build(kind: WorkloadKind): Workload {
    const locals = this.locals.size === 0 ? '' : `| ${[...this.locals].join(' ')} |\n        `;
    const source = `${this.selector} = (\n        ${locals}${this.statements.join('\n        ')}\n    )`;
    return { selector: this.selector, kind, source, helpers: [...this.helpers] };
  }
}

/** `objs := self population.` and the expression for the receiver at iteration `i`. */
export function population(method: WorkloadMethod): { receiver: (index: string) => string } {
  method.uses('population').local('objs').add('objs := self population.');
  return { receiver: (index) => `(objs at: ${index} % objs length + 1)` };
}
