/**
 * What a trace depends on (runtime/tier2/trace-dependencies.ts), on a trace built by hand: the
 * classes and global sites in its constant pool, whether one of them changed while it was being
 * recorded, and the validity that hears of later changes, precisely (another global, the same
 * value bound again, leave it valid).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SomClass } from '../../interpreter/model/class.ts';
import { GlobalSite } from '../../interpreter/model/method.ts';
import { SomSymbol } from '../../interpreter/model/objects.ts';
import { Globals, vm } from '../../interpreter/vm-state.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import {
  changedSince,
  dependencyStamp,
  registerDependencies,
  traceDependencies,
  unregisterDependencies,
} from '../../runtime/tier2/trace-dependencies.ts';
import { TraceValidity } from '../../runtime/tier2/trace-validity.ts';

const FACTOR = new SomSymbol('Factor');
const OTHER = new SomSymbol('Other');

/** A trace whose pool holds `cls` and a global site of `Factor` (and an unrelated object). */
function traceFolding(cls: SomClass, site: GlobalSite): Trace {
  const builder = new TraceBuilder('loop', 'Loop>>run @4');
  builder.constants.ref(cls, cls.name.s);
  builder.constants.ref(site, 'site.Factor');
  builder.constants.ref({ unrelated: true }, 'unrelated');
  return builder.finish();
}

describe('trace dependencies', () => {
  let cls: SomClass;
  let trace: Trace;

  beforeEach(() => {
    vm.globals = new Globals();
    vm.globals.set(FACTOR, 1);
    cls = new SomClass(new SomSymbol('Point'), false, null);
    trace = traceFolding(cls, new GlobalSite(FACTOR));
  });

  it('are the classes and global sites of the constant pool', () => {
    const { classes, globals } = traceDependencies(trace);
    expect(classes).toEqual([cls]);
    expect(globals.map((site) => site.name)).toEqual([FACTOR]);
  });

  it('tell a change of a folded lookup or global after the stamp, and nothing else', () => {
    const stamp = dependencyStamp();
    new SomClass(new SomSymbol('Elsewhere'), false, null).methodArrayChanged();
    vm.globals.set(OTHER, 5);
    vm.globals.set(FACTOR, 1);
    expect(changedSince(trace, stamp)).toBeNull();
    cls.methodArrayChanged();
    expect(changedSince(trace, stamp)).toBe('lookup in Point changed while recording');
    const later = dependencyStamp();
    vm.globals.set(FACTOR, 2);
    expect(changedSince(trace, later)).toBe('global Factor was bound while recording');
  });

  it('make the validity invalid when a folded lookup changes', () => {
    const validity = new TraceValidity('Loop>>run @4');
    registerDependencies(trace, validity);
    new SomClass(new SomSymbol('Elsewhere'), false, null).methodArrayChanged();
    expect(validity.valid).toBe(true);
    cls.methodArrayChanged();
    expect(validity.valid).toBe(false);
    expect(validity.reason).toBe('a method lookup changed');
  });

  it('make the validity invalid when a folded global gets another value, only then', () => {
    const validity = new TraceValidity('Loop>>run @4');
    registerDependencies(trace, validity);
    vm.globals.set(OTHER, 5);
    vm.globals.set(FACTOR, 1);
    expect(validity.valid).toBe(true);
    vm.globals.set(FACTOR, 100);
    expect(validity.valid).toBe(false);
    expect(validity.reason).toBe('global Factor was bound');
  });

  it('no longer reach a validity unregistered from them (a trace thrown away)', () => {
    const validity = new TraceValidity('Loop>>run @4');
    unregisterDependencies(registerDependencies(trace, validity), validity);
    cls.methodArrayChanged();
    vm.globals.set(FACTOR, 100);
    expect(validity.valid).toBe(true);
  });

  it('reach a subclass trace through a change in its superclass', () => {
    const sub = new SomClass(new SomSymbol('Point3D'), false, null);
    sub.superclass = cls;
    const validity = new TraceValidity('Loop>>run @4');
    registerDependencies(traceFolding(sub, new GlobalSite(FACTOR)), validity);
    cls.methodArrayChanged();
    expect(validity.valid).toBe(false);
  });
});
