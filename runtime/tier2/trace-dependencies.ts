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
 * - a call of `lookupMegamorphic` (its descriptor): the trace looks a megamorphic send's method
 *   up when it runs (a pure call, which the optimiser may share between iterations), in classes
 *   it does not know. The validity becomes a dependent of every class's lookup
 *   (`lookupClock.addAnyLookupDependent`): methods change rarely, so any change drops it.
 * Objects in the pool that are neither stay as they were recorded by construction (methods,
 * symbols, descriptors) or are read by the trace at run time.
 *
 * A trace registers once it is compiled, and unregisters when it is thrown away (evicted, or
 * invalid through another dependency), so that in a long run the dependent lists of classes
 * that never change hold only the installed traces. Since it registers only once compiled, a
 * change made while it was being recorded (by a residual call in the recorded iteration) is
 * found another way: `DependencyStamp` is taken before recording, and `changedSince` tells
 * whether anything the trace folded changed after it.
 */
import { lookupClock, SomClass } from '../../interpreter/model/class.ts';
import { GlobalSite } from '../../interpreter/model/method.ts';
import { lookupMegamorphic } from '../../interpreter/handlers/sends.ts';
import { CallDescr } from '../ir/descriptors.ts';
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

/** What a trace folded: classes it looked up in, and global sites it read. */
export interface TraceDependencies {
  readonly classes: readonly SomClass[];
  readonly globals: readonly GlobalSite[];
  /** It looks methods up when it runs (a megamorphic send): it depends on every class's lookup. */
  readonly anyLookup: boolean;
}

/** The classes and global sites `trace` folded, each once. */
export function traceDependencies(trace: Trace): TraceDependencies {
  const classes = new Set<SomClass>();
  const globals = new Set<GlobalSite>();
  let anyLookup = false;
  for (const constant of trace.constants.entries) {
    if (constant.value instanceof SomClass) classes.add(constant.value);
    else if (constant.value instanceof GlobalSite) globals.add(constant.value);
    else if (constant.value instanceof CallDescr && constant.value.fn === lookupMegamorphic) anyLookup = true;
  }
  return { classes: [...classes], globals: [...globals], anyLookup };
}

/** Why `trace` may hold something stale: a class or global it folded changed after `stamp`; or null. */
export function changedSince(trace: Trace, stamp: DependencyStamp): string | null {
  const { classes, globals, anyLookup } = traceDependencies(trace);
  if (anyLookup && lookupClock.ticks > stamp.lookups) return 'a lookup changed while recording';
  const changedClass = classes.find((cls) => cls.lookupChangedAt > stamp.lookups);
  if (changedClass !== undefined) return `lookup in ${changedClass.name.s} changed while recording`;
  const changedGlobal = globals.find((site) => vm.globals.boundAt(site.name) > stamp.globals);
  if (changedGlobal !== undefined) return `global ${changedGlobal.name.s} was bound while recording`;
  return null;
}

/** Makes `validity` hear of every change to what `trace` folded; answers what that is. */
export function registerDependencies(trace: Trace, validity: TraceValidity): TraceDependencies {
  const dependencies = traceDependencies(trace);
  for (const cls of dependencies.classes) cls.addLookupDependent(validity);
  for (const site of dependencies.globals) vm.globals.addDependent(site.name, validity);
  if (dependencies.anyLookup) lookupClock.addAnyLookupDependent(validity);
  return dependencies;
}

/** `validity`'s trace is thrown away: it stops hearing of changes to `dependencies`. */
export function unregisterDependencies(dependencies: TraceDependencies, validity: TraceValidity): void {
  for (const cls of dependencies.classes) cls.removeLookupDependent(validity);
  for (const site of dependencies.globals) vm.globals.removeDependent(site.name, validity);
  if (dependencies.anyLookup) lookupClock.removeAnyLookupDependent(validity);
}
