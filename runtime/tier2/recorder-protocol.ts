/**
 * The protocol between the generated recorders (generated/tracer.js, written by
 * transformer/emit/tracer-emitter.ts) and the recording context that drives them
 * (recorder.ts). Kept apart so that the generated module's declarations name a type without
 * importing the recorder.
 */
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { Frame } from '../../interpreter/model/frame.ts';

/**
 * The recorder of one opcode: runs the instruction at (method, pc) of `frame` concretely and
 * records it into the recording context `T`; answers the next pc, or a negative number when the
 * activation returned (the value is then in the context).
 */
export type OpcodeRecorder = (T: unknown, method: SomMethod, pc: number, frame: Frame, frameShadow: unknown) => number;
