/**
 * DeltaBlue (AWFY macro benchmark): the incremental one-way constraint solver of
 * Freeman-Benson, Maloney and Borning, run on a chain of equality constraints and on a
 * projection of scale constraints. Exercises polymorphic sends, collections and allocation.
 * The inner-iteration count is the problem size; the planner checks its own results and
 * throws on failure, so a completed run answers true.
 */
import { Benchmark } from './benchmark.mjs';
import { Vector } from './core.mjs';

// Strengths: a lower arithmetic value is stronger.
class Strength {
  constructor(arithmeticValue) {
    this.arithmeticValue = arithmeticValue;
  }

  sameAs(s) {
    return this.arithmeticValue === s.arithmeticValue;
  }

  stronger(s) {
    return this.arithmeticValue < s.arithmeticValue;
  }

  weaker(s) {
    return this.arithmeticValue > s.arithmeticValue;
  }

  strongest(s) {
    return s.stronger(this) ? s : this;
  }

  weakest(s) {
    return s.weaker(this) ? s : this;
  }
}

// The strengths the benchmark uses (of DeltaBlue's eight levels).
const REQUIRED = new Strength(-800);
const PREFERRED = new Strength(-400);
const STRONG_DEFAULT = new Strength(-200);
const DEFAULT = new Strength(0);
const ABSOLUTE_WEAKEST = new Strength(10000);

// Directions of a binary constraint.
const NONE = 0;
const FORWARD = 1;
const BACKWARD = 2;

class AbstractConstraint {
  constructor(strength) {
    this.strength = strength;
  }

  isInput() {
    return false;
  }

  addConstraint(planner) {
    this.addToGraph();
    planner.incrementalAdd(this);
  }

  destroyConstraint(planner) {
    if (this.isSatisfied()) planner.incrementalRemove(this);
    this.removeFromGraph();
  }

  inputsKnown(mark) {
    return !this.inputsHasOne((v) => !(v.mark === mark || v.stay || v.determinedBy === null));
  }

  /**
   * Tries to satisfy this constraint; answers the constraint it overrides, or null.
   */
  satisfy(mark, planner) {
    let overridden;
    this.chooseMethod(mark);
    if (this.isSatisfied()) {
      this.inputsDo((i) => {
        i.mark = mark;
      });
      const out = this.getOutput();
      overridden = out.determinedBy;
      if (overridden !== null) overridden.markUnsatisfied();
      out.determinedBy = this;
      if (!planner.addPropagate(this, mark)) throw new Error('Cycle encountered');
      out.mark = mark;
    } else {
      overridden = null;
      if (this.strength.sameAs(REQUIRED)) throw new Error('Could not satisfy a required constraint');
    }
    return overridden;
  }
}

class UnaryConstraint extends AbstractConstraint {
  constructor(v, strength, planner) {
    super(strength);
    this.output = v;
    this.satisfied = false;
    this.addConstraint(planner);
  }

  isSatisfied() {
    return this.satisfied;
  }

  addToGraph() {
    this.output.addConstraint(this);
    this.satisfied = false;
  }

  removeFromGraph() {
    if (this.output !== null) this.output.removeConstraint(this);
    this.satisfied = false;
  }

  chooseMethod(mark) {
    this.satisfied = this.output.mark !== mark && this.strength.stronger(this.output.walkStrength);
  }

  execute() {}

  inputsDo(_fn) {}

  inputsHasOne(_fn) {
    return false;
  }

  markUnsatisfied() {
    this.satisfied = false;
  }

  getOutput() {
    return this.output;
  }

  recalculate() {
    this.output.walkStrength = this.strength;
    this.output.stay = !this.isInput();
    if (this.output.stay) this.execute();
  }
}

class EditConstraint extends UnaryConstraint {
  isInput() {
    return true;
  }
}

class StayConstraint extends UnaryConstraint {}

class BinaryConstraint extends AbstractConstraint {
  constructor(var1, var2, strength) {
    super(strength);
    this.v1 = var1;
    this.v2 = var2;
    this.direction = NONE;
  }

  isSatisfied() {
    return this.direction !== NONE;
  }

  addToGraph() {
    this.v1.addConstraint(this);
    this.v2.addConstraint(this);
    this.direction = NONE;
  }

  removeFromGraph() {
    if (this.v1 !== null) this.v1.removeConstraint(this);
    if (this.v2 !== null) this.v2.removeConstraint(this);
    this.direction = NONE;
  }

  chooseMethod(mark) {
    if (this.v1.mark === mark) {
      this.direction = this.v2.mark !== mark && this.strength.stronger(this.v2.walkStrength) ? FORWARD : NONE;
      return;
    }
    if (this.v2.mark === mark) {
      this.direction = this.v1.mark !== mark && this.strength.stronger(this.v1.walkStrength) ? BACKWARD : NONE;
      return;
    }
    // Neither variable is marked, so there is a choice.
    if (this.v1.walkStrength.weaker(this.v2.walkStrength)) {
      this.direction = this.strength.stronger(this.v1.walkStrength) ? BACKWARD : NONE;
    } else {
      this.direction = this.strength.stronger(this.v2.walkStrength) ? FORWARD : NONE;
    }
  }

  inputsDo(fn) {
    if (this.direction === FORWARD) fn(this.v1);
    else fn(this.v2);
  }

  inputsHasOne(fn) {
    if (this.direction === FORWARD) return fn(this.v1);
    return fn(this.v2);
  }

  markUnsatisfied() {
    this.direction = NONE;
  }

  getOutput() {
    return this.direction === FORWARD ? this.v2 : this.v1;
  }

  recalculate() {
    const ihn = this.direction === FORWARD ? this.v1 : this.v2;
    const out = this.direction === FORWARD ? this.v2 : this.v1;
    out.walkStrength = this.strength.weakest(ihn.walkStrength);
    out.stay = ihn.stay;
    if (out.stay) this.execute();
  }
}

class EqualityConstraint extends BinaryConstraint {
  constructor(var1, var2, strength, planner) {
    super(var1, var2, strength);
    this.addConstraint(planner);
  }

  execute() {
    if (this.direction === FORWARD) this.v2.value = this.v1.value;
    else this.v1.value = this.v2.value;
  }
}

class ScaleConstraint extends BinaryConstraint {
  constructor(src, scale, offset, dest, strength, planner) {
    super(src, dest, strength);
    this.scale = scale;
    this.offset = offset;
    this.addConstraint(planner);
  }

  addToGraph() {
    this.v1.addConstraint(this);
    this.v2.addConstraint(this);
    this.scale.addConstraint(this);
    this.offset.addConstraint(this);
    this.direction = NONE;
  }

  removeFromGraph() {
    if (this.v1 !== null) this.v1.removeConstraint(this);
    if (this.v2 !== null) this.v2.removeConstraint(this);
    if (this.scale !== null) this.scale.removeConstraint(this);
    if (this.offset !== null) this.offset.removeConstraint(this);
    this.direction = NONE;
  }

  execute() {
    if (this.direction === FORWARD) {
      this.v2.value = this.v1.value * this.scale.value + this.offset.value;
    } else {
      this.v1.value = Math.trunc((this.v2.value - this.offset.value) / this.scale.value);
    }
  }

  inputsDo(fn) {
    fn(this.direction === FORWARD ? this.v1 : this.v2);
    fn(this.scale);
    fn(this.offset);
  }

  inputsHasOne(fn) {
    return fn(this.direction === FORWARD ? this.v1 : this.v2) || fn(this.scale) || fn(this.offset);
  }

  recalculate() {
    const ihn = this.direction === FORWARD ? this.v1 : this.v2;
    const out = this.direction === FORWARD ? this.v2 : this.v1;
    out.walkStrength = this.strength.weakest(ihn.walkStrength);
    out.stay = ihn.stay && this.scale.stay && this.offset.stay;
    if (out.stay) this.execute();
  }
}

class Variable {
  constructor(value = 0) {
    this.value = value;
    this.constraints = new Vector(2);
    this.determinedBy = null;
    this.walkStrength = ABSOLUTE_WEAKEST;
    this.stay = true;
    this.mark = 0;
  }

  addConstraint(c) {
    this.constraints.append(c);
  }

  removeConstraint(c) {
    this.constraints.remove(c);
    if (this.determinedBy === c) this.determinedBy = null;
  }
}

class Plan extends Vector {
  constructor() {
    super(15);
  }

  execute() {
    this.forEach((c) => c.execute());
  }
}

class Planner {
  constructor() {
    this.currentMark = 1;
  }

  incrementalAdd(c) {
    const mark = this.newMark();
    let overridden = c.satisfy(mark, this);
    while (overridden !== null) overridden = overridden.satisfy(mark, this);
  }

  incrementalRemove(c) {
    const out = c.getOutput();
    c.markUnsatisfied();
    c.removeFromGraph();
    const unsatisfied = this.removePropagateFrom(out);
    unsatisfied.forEach((u) => this.incrementalAdd(u));
  }

  extractPlanFromConstraints(constraints) {
    const sources = new Vector();
    constraints.forEach((c) => {
      if (c.isInput() && c.isSatisfied()) sources.append(c);
    });
    return this.makePlan(sources);
  }

  makePlan(sources) {
    const mark = this.newMark();
    const plan = new Plan();
    const todo = sources;
    while (!todo.isEmpty()) {
      const c = todo.removeFirst();
      if (c.getOutput().mark !== mark && c.inputsKnown(mark)) {
        plan.append(c);
        c.getOutput().mark = mark;
        this.addConstraintsConsumingTo(c.getOutput(), todo);
      }
    }
    return plan;
  }

  addConstraintsConsumingTo(v, coll) {
    const determiningC = v.determinedBy;
    v.constraints.forEach((c) => {
      if (c !== determiningC && c.isSatisfied()) coll.append(c);
    });
  }

  addPropagate(c, mark) {
    const todo = Vector.with(c);
    while (!todo.isEmpty()) {
      const d = todo.removeFirst();
      if (d.getOutput().mark === mark) {
        this.incrementalRemove(c);
        return false;
      }
      d.recalculate();
      this.addConstraintsConsumingTo(d.getOutput(), todo);
    }
    return true;
  }

  changeVar(v, newValue) {
    const editC = new EditConstraint(v, PREFERRED, this);
    const plan = this.extractPlanFromConstraints(Vector.with(editC));
    for (let i = 0; i < 10; i++) {
      v.value = newValue;
      plan.execute();
    }
    editC.destroyConstraint(this);
  }

  constraintsConsuming(v, fn) {
    const determiningC = v.determinedBy;
    v.constraints.forEach((c) => {
      if (c !== determiningC && c.isSatisfied()) fn(c);
    });
  }

  newMark() {
    this.currentMark += 1;
    return this.currentMark;
  }

  removePropagateFrom(out) {
    const unsatisfied = new Vector();
    out.determinedBy = null;
    out.walkStrength = ABSOLUTE_WEAKEST;
    out.stay = true;
    const todo = Vector.with(out);
    while (!todo.isEmpty()) {
      const v = todo.removeFirst();
      v.constraints.forEach((c) => {
        if (!c.isSatisfied()) unsatisfied.append(c);
      });
      this.constraintsConsuming(v, (c) => {
        c.recalculate();
        todo.append(c.getOutput());
      });
    }
    unsatisfied.sort((c1, c2) => c1.strength.stronger(c2.strength));
    return unsatisfied;
  }

  /** A chain of n equality constraints; editing the head must propagate to the tail. */
  static chainTest(n) {
    const planner = new Planner();
    const vars = new Array(n + 1);
    for (let i = 0; i <= n; i++) vars[i] = new Variable();
    for (let i = 0; i < n; i++) new EqualityConstraint(vars[i], vars[i + 1], REQUIRED, planner);
    new StayConstraint(vars[n], STRONG_DEFAULT, planner);
    const edit = new EditConstraint(vars[0], PREFERRED, planner);
    const plan = planner.extractPlanFromConstraints(Vector.with(edit));
    for (let i = 0; i < 100; i++) {
      vars[0].value = i;
      plan.execute();
      if (vars[n].value !== i) throw new Error('Chain test failed!');
    }
    edit.destroyConstraint(planner);
  }

  /** n scale constraints dst = src * scale + offset, edited from both ends. */
  static projectionTest(n) {
    const planner = new Planner();
    const dests = new Vector();
    const scale = new Variable(10);
    const offset = new Variable(1000);
    let src = null;
    let dst = null;
    for (let i = 1; i <= n; i++) {
      src = new Variable(i);
      dst = new Variable(i);
      dests.append(dst);
      new StayConstraint(src, DEFAULT, planner);
      new ScaleConstraint(src, scale, offset, dst, REQUIRED, planner);
    }
    planner.changeVar(src, 17);
    if (dst.value !== 1170) throw new Error('Projection test 1 failed!');
    planner.changeVar(dst, 1050);
    if (src.value !== 5) throw new Error('Projection test 2 failed!');
    planner.changeVar(scale, 5);
    for (let i = 0; i < n - 1; i++) {
      if (dests.at(i).value !== (i + 1) * 5 + 1000) throw new Error('Projection test 3 failed!');
    }
    planner.changeVar(offset, 2000);
    for (let i = 0; i < n - 1; i++) {
      if (dests.at(i).value !== (i + 1) * 5 + 2000) throw new Error('Projection test 4 failed!');
    }
  }
}

export class DeltaBlue extends Benchmark {
  innerBenchmarkLoop(innerIterations) {
    Planner.chainTest(innerIterations);
    Planner.projectionTest(innerIterations);
    return true;
  }
}
