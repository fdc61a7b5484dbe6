/**
 * Reading an unbound global (SOM.md §3.8): the VM sends `unknownGlobal: #name` to the current
 * self, whose default (`Object>>#unknownGlobal:`) resolves it by loading a class from the
 * classpath. As SOM.md allows, the VM short-cuts that path by trying the classpath first when
 * the receiver's class does not override `unknownGlobal:`.
 */
import type { Frame } from '../model/frame.ts';
import { classOf, type SomSymbol, type SomValue } from '../model/objects.ts';
import { coreClasses } from '../model/core-classes.ts';
import { vm } from '../vm-state.ts';
import { invokeWithArgs, doesNotUnderstand } from '../invoke.ts';

/** @jit.residual a global miss: class loading or a send of unknownGlobal:. */
export function unknownGlobal(frame: Frame, name: SomSymbol): SomValue {
  const receiver = frame.receiver;
  const handler = classOf(receiver).lookup(vm.symbols.unknownGlobal);
  if (handler === null || handler.holder === coreClasses.object) {
    const loaded = vm.services.loadClass(name);
    if (loaded !== null) return loaded;
  }
  if (handler === null) return doesNotUnderstand(frame, receiver, vm.symbols.unknownGlobal, [name]);
  return invokeWithArgs(handler, frame, receiver, [name]);
}
