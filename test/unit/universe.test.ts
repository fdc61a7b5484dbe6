/**
 * The Universe: bootstrap wiring (SOM.md §3.1's class/metaclass table), globals, lazy class
 * loading from the classpath with shadowing (§3.9), and program start-up (§3.10).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Universe } from '../../interpreter/universe.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { classOf, SomObject } from '../../interpreter/model/objects.ts';
import { coreClasses } from '../../interpreter/model/core-classes.ts';
import { runSom } from '../../runtime/vm.ts';
import { SomParseError } from '../../interpreter/errors.ts';

function universe(extra: string[] = []): Universe {
  const u = new Universe({
    classpath: [...extra, 'Smalltalk'],
    output: { writeOut() {}, writeErr() {} },
    maxStackDepth: 1000,
  });
  u.bootstrap();
  return u;
}

function classNamed(u: Universe, name: string): SomClass {
  const c = u.globals.get(u.symbol(name));
  if (!(c instanceof SomClass)) throw new Error(`${name} is not bound to a class`);
  return c;
}

describe('Universe bootstrap', () => {
  let u: Universe;
  beforeAll(() => {
    u = universe();
  });

  it('wires the class/metaclass structure of SOM.md §3.1', () => {
    const object = classNamed(u, 'Object');
    const klass = classNamed(u, 'Class');
    const metaclass = classNamed(u, 'Metaclass');
    expect(object.superclass).toBeNull();
    expect(object.clazz.name.s).toBe('Object class');
    expect(object.clazz.clazz).toBe(metaclass);
    expect(object.clazz.superclass).toBe(klass);
    expect(klass.superclass).toBe(object);
    expect(klass.clazz.superclass).toBe(object.clazz);
    expect(metaclass.superclass).toBe(klass);
    expect(metaclass.clazz.clazz).toBe(metaclass);
    expect(metaclass.clazz.superclass).toBe(klass.clazz);
  });

  it('binds nil, true, false, system and the core classes as globals', () => {
    expect(u.globals.get(u.symbol('nil'))).toBeNull();
    expect(u.globals.get(u.symbol('true'))).toBe(true);
    expect(u.globals.get(u.symbol('false'))).toBe(false);
    const system = u.globals.get(u.symbol('system'));
    expect(system).toBeInstanceOf(SomObject);
    expect(classOf(system!).name.s).toBe('System');
    expect(classNamed(u, 'Symbol').superclass).toBe(classNamed(u, 'String'));
    expect(coreClasses.block2.superclass).toBe(coreClasses.block);
  });

  it('gives every value its class', () => {
    expect(classOf(3)).toBe(coreClasses.integer);
    expect(classOf(null)).toBe(coreClasses.nil);
    expect(classOf(true)).toBe(coreClasses.true);
    expect(classOf(u.symbol('foo'))).toBe(coreClasses.symbol);
  });

  it('interns symbols', () => {
    expect(u.symbol('at:put:')).toBe(u.symbol('at:put:'));
    expect(u.symbol('at:put:').numArgs).toBe(2);
    expect(u.symbol('+').numArgs).toBe(1);
  });

  it('loads library classes lazily, not at bootstrap', () => {
    expect(u.globals.has(u.symbol('Vector'))).toBe(false);
    const vector = u.loadClass(u.symbol('Vector'));
    expect(vector).toBeInstanceOf(SomClass);
    expect(u.globals.get(u.symbol('Vector'))).toBe(vector);
    expect(u.loadClass(u.symbol('NoSuchClassAnywhere'))).toBeNull();
  });
});

describe('class loading', () => {
  it('lets an earlier classpath entry shadow a later one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-cp-'));
    writeFileSync(join(dir, 'Pair.som'), 'Pair = ( | a | shadow = ( ^42 ) )');
    const u = universe([dir]);
    const pair = u.resolveClass(u.symbol('Pair'))!;
    expect(pair.lookup(u.symbol('shadow'))).not.toBeNull();
    expect(pair.instanceFieldNames.map((s) => s.s)).toEqual(['a']);
  });

  it('lays out fields superclass first and rejects redeclaring an inherited field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-cp-'));
    writeFileSync(join(dir, 'Base1.som'), 'Base1 = ( | x y | )');
    writeFileSync(join(dir, 'Sub1.som'), 'Sub1 = Base1 ( | z | )');
    writeFileSync(join(dir, 'Bad1.som'), 'Bad1 = Base1 ( | y | )');
    const u = universe([dir]);
    expect(u.resolveClass(u.symbol('Sub1'))!.instanceFieldNames.map((s) => s.s)).toEqual(['x', 'y', 'z']);
    expect(() => u.resolveClass(u.symbol('Bad1'))).toThrow(SomParseError);
  });

  it('rejects a file whose class name differs from the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-cp-'));
    writeFileSync(join(dir, 'Named.som'), 'Other = ( )');
    const u = universe([dir]);
    expect(() => u.resolveClass(u.symbol('Named'))).toThrow(/defines class 'Other'/);
  });
});

describe('program start-up', () => {
  it('passes the class name and arguments to run:', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-run-'));
    writeFileSync(
      join(dir, 'Args.som'),
      'Args = ( run: a = ( a length println. (a at: 1) println. (a at: 3) println ) )',
    );
    const r = runSom({ classpath: ['Smalltalk'], args: [join(dir, 'Args.som'), 'x', 'y'] });
    expect(r).toEqual({ exitCode: 0, stdout: '3\nArgs\ny\n', stderr: '' });
  });

  it('sends run when run: is not understood, and exits with the status given to exit:', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-run-'));
    writeFileSync(join(dir, 'Ex.som'), "Ex = ( run = ( 'hi' println. system exit: 7 ) )");
    const r = runSom({ classpath: ['Smalltalk'], args: [join(dir, 'Ex.som')] });
    expect(r.exitCode).toBe(7);
    expect(r.stdout).toBe('hi\n');
  });

  it('reports a missing standard library clearly', () => {
    const r = runSom({ classpath: [], args: ['Hello'] });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Core class 'Object' not found");
  });
});
