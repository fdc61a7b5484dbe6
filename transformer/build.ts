/**
 * What build.mjs needs from the transformer, in one module (bundled and imported at build time):
 * the interpreter's directive lowering and the compiler generators, plus the opcode names in
 * numbering order from the opcode table.
 */
import { OPCODE_LIST, opcodeName } from '../interpreter/compiler/opcodes.ts';

export { eraseDirectives } from './erase-directives.ts';
export { generateCompilers } from './generate.ts';
export { TransformError } from './rules.ts';

export const OPCODE_NAMES: readonly string[] = OPCODE_LIST.map(opcodeName);
