/**
 * What a compiled trace depends on, found in its constant pool: the trace's side of
 * invalidation, with TraceValidity (trace-validity.ts) as the object that hears of changes.
 *
 * A recording folds what the interpreter reads from its caches (TRACING.md §2): send-site
 * inline caches and lookups become method constants, class reads become `guard_class` with the
 * class as a constant, and a `PUSH_GLOBAL` reads its `GlobalSite` (a constant of the trace)
 * and folds the value it caches. So the pool names everything the trace assumed:
 * - every `SomClass` in it: the trace holds lookups in it (a send's receiver class after its
 *   class guard, a super send's start class, an inlined method's receiver class). The
 *   validity becomes a lookup dependent of each, at class granularity as inline caches are; a
 *   change in a superclass reaches the subclasses' dependents, so this covers inherited
 *   methods too.
 * - every `GlobalSite` in it: the trace read that global. The validity becomes a dependent of
 *   that one name in `Globals`, so binding another global (loading a class lazily binds one)
 *   leaves the trace alone.
 * Objects in the pool that are neither stay as they were recorded by construction (methods,
 * symbols, descriptors) or are read by the trace at run time.
 *
 * A trace registers once it is compiled, but the program may change a lookup or a global while
 * the trace is being recorded (a residual call in the recorded iteration): `DependencyStamp`
 * is taken before recording, and `changedSince` tells whether anything the trace folded
 * changed after it.
 */
import { lookupClock, SomClass } from '../../interpreter/model/class.ts';
import { GlobalSite } from '../../interpreter/model/method.ts';
import { vm } from '../../interpreter/vm-state.ts';
import type { Trace } from '../ir/trace.ts';
import type { TraceValidity } from './trace-validity.ts';

/** The clocks of lookup changes and of global bindings at some moment. */
export interface DependencyStamp {
  readonly lookups: number;
  readonly globals: number;
}

export function dependencyStamp(): DependencyStamp {
  return { lookups: lookupClock.ticks, globals: vm.globals.version };
}

/** The classes and global sites `trace` folded, each once. */
export function traceDependencies(trace: Trace): { classes: SomClass[]; globals: GlobalSite[] } {
  const classes = new Set<SomClass>();
  const globals = new Set<GlobalSite>();
  for (const constant of trace.constants.entries) {
    if (constant.value instanceof SomClass) classes.add(constant.value);
    else if (constant.value instanceof GlobalSite) globals.add(constant.value);
  }
  return { classes: [...classes], globals: [...globals] };
}

/** Why `trace` may hold something stale: a class or global it folded changed after `stamp`; or null. */
export function changedSince(trace: Trace, stamp: DependencyStamp): string | null {
  const { classes, globals } = traceDependencies(trace);
  const changedClass = classes.find((cls) => cls.lookupChangedAt > stamp.lookups);
  if (changedClass !== undefined) return `lookup in ${changedClass.name.s} changed while recording`;
  const changedGlobal = globals.find((site) => vm.globals.boundAt(site.name) > stamp.globals);
  if (changedGlobal !== undefined) return `global ${changedGlobal.name.s} was bound while recording`;
  return null;
}

/** Makes `validity` hear of every change to what `trace` folded. */
export function registerDependencies(trace: Trace, validity: TraceValidity): void {
  const { classes, globals } = traceDependencies(trace);
  for (const cls of classes) cls.addLookupDependent(validity);
  for (const site of globals) vm.globals.addDependent(site.name, validity);
}
