/**
 * The protocol between the generated recorders (generated/tracer.js, written by
 * transformer/emit/tracer-emitter.ts) and the recording context that drives them
 * (recorder.ts). Kept apart so that the generated module's declarations name a type without
 * importing the recorder.
 */
import type { PrimitiveFn, SomMethod } from '../../interpreter/model/method.ts';
import type { Frame } from '../../interpreter/model/frame.ts';

/**
 * The recorder of one opcode: runs the instruction at (method, pc) of `frame` concretely and
 * records it into the recording context `T`; answers the next pc, or a negative number when the
 * activation returned (the value is then in the context).
 */
export type OpcodeRecorder = (T: unknown, method: SomMethod, pc: number, frame: Frame, frameShadow: unknown) => number;

/**
 * The recording twin of a traced primitive (interpreter/primitives/traced.ts): the primitive's
 * `(caller, receiver, ...arguments)`, each followed by its shadow, after the context `T`. It
 * runs the primitive concretely and answers its result; the result's shadow is in `T.result`.
 */
export type PrimitiveRecorder = (T: unknown, ...valuesAndShadows: unknown[]) => unknown;

/** The twins of the traced primitives, by the primitive function a SomPrimitive holds. */
export type PrimitiveRecorders = ReadonlyMap<PrimitiveFn, PrimitiveRecorder>;
