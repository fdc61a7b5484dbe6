/**
 * Checks the dispatch loop against the opcode table, so that a slip in the interpreter's shape
 * fails the build, naming the case, instead of running the next instruction from the middle of
 * an operand:
 * - T11: the switch has exactly one case per opcode (none missing, none twice, none unknown);
 * - T10: a path that goes on to the next instruction does `pc += N`, N the instruction length
 *   (opcode plus operands); jumps assign pc from an operand or a handler, returns leave it;
 * - T12: no path falls out of a case without returning or assigning pc (it would run the same
 *   instruction again in the interpreter, and fall through to the next one in tier 1).
 */
import * as t from '@babel/types';
import { reject } from '../rules.ts';

/** What the transformer knows of an opcode: its name and its instruction length in code units. */
export interface OpcodeShape {
  readonly name: string;
  readonly length: number;
}

/** Rejects a case list that does not hold exactly one case per opcode of `opcodes`. */
export function checkCoverage(
  dispatch: t.SwitchStatement,
  opcodeOf: ReadonlyMap<t.SwitchCase, string>,
  opcodes: readonly OpcodeShape[],
  file: string,
): void {
  const known = new Set(opcodes.map((op) => op.name));
  const seen = new Set<string>();
  for (const [c, opcode] of opcodeOf) {
    if (!known.has(opcode)) reject(file, c, 'T11', `case Op.${opcode} is not in the opcode table`);
    if (seen.has(opcode)) reject(file, c, 'T11', `a second case for Op.${opcode}`);
    seen.add(opcode);
  }
  const missing = opcodes.filter((op) => !seen.has(op.name)).map((op) => `Op.${op.name}`);
  if (missing.length > 0) reject(file, dispatch, 'T11', `no case for ${missing.join(', ')}`);
}

/** Rejects a case whose paths do not each return, jump, or advance pc by `length`. */
export function checkPcMoves(
  c: t.SwitchCase,
  opcode: string,
  body: readonly t.Statement[],
  shape: { readonly pc: string; readonly length: number },
  file: string,
): void {
  for (const statement of body) {
    t.traverseFast(statement, (node) => checkAdvance(node, opcode, shape, file));
  }
  if (!body.some((s) => endsPath(s, shape.pc))) {
    reject(file, c, 'T12', `a path through case Op.${opcode} neither returns nor assigns ${shape.pc}`);
  }
}

/** An advance of pc (`pc += e`, `pc = pc + e`, `pc++`) must be `pc += length`. */
function checkAdvance(
  node: t.Node,
  opcode: string,
  { pc, length }: { readonly pc: string; readonly length: number },
  file: string,
): void {
  const isPc = (e: t.Node): boolean => t.isIdentifier(e, { name: pc });
  if (t.isUpdateExpression(node) && isPc(node.argument)) {
    reject(file, node, 'T10', `${pc}${node.operator} in case Op.${opcode}`);
  }
  if (!t.isAssignmentExpression(node) || !isPc(node.left)) return;
  const right = node.right;
  const step =
    node.operator === '+='
      ? right
      : node.operator === '=' && t.isBinaryExpression(right, { operator: '+' }) && isPc(right.left)
        ? right.right
        : null;
  if (step === null) return; // a jump (pc = target), or an operator rule T4 rejects
  if (!t.isNumericLiteral(step)) {
    reject(file, node, 'T10', `${pc} advanced by an expression in case Op.${opcode}, not by a number`);
  }
  if (step.value !== length) {
    reject(file, node, 'T10', `${pc} advanced by ${step.value} in case Op.${opcode}, whose length is ${length}`);
  }
}

/** Whether every path through `s` returns or assigns pc. */
function endsPath(s: t.Statement, pc: string): boolean {
  if (t.isReturnStatement(s)) return true;
  if (t.isExpressionStatement(s)) {
    return t.isAssignmentExpression(s.expression) && t.isIdentifier(s.expression.left, { name: pc });
  }
  if (t.isIfStatement(s)) return endsPath(s.consequent, pc) && s.alternate != null && endsPath(s.alternate, pc);
  if (t.isBlockStatement(s)) return s.body.some((inner) => endsPath(inner, pc));
  return false;
}
