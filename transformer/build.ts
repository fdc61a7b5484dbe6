/**
 * What build.mjs needs from the transformer, in one module (bundled and imported at build time):
 * the interpreter's directive lowering and the compiler generators, plus the opcode names in
 * numbering order from the opcode table, with the instruction lengths the transformer checks
 * the dispatch loop's cases against.
 */
import { OPCODE_LIST, instructionLength, opcodeName } from '../interpreter/compiler/opcodes.ts';
import type { OpcodeShape } from './analysis/case-shape.ts';

export { eraseDirectives } from './erase-directives.ts';
export { generateCompilers } from './generate.ts';
export { TransformError } from './rules.ts';

export const OPCODE_SHAPES: readonly OpcodeShape[] = OPCODE_LIST.map((op) => ({
  name: opcodeName(op),
  length: instructionLength(op),
}));
