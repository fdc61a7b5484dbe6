/**
 * Finds the dispatch loop in the interpreter's AST and cuts it into analysed cases: plain data
 * that the emitters walk, testable without Babel's traversal state.
 *
 * The loop is the function containing `jit.dispatchLoop(method, pc, frame)`: its arguments name
 * the green variables (method, pc) and the red one (frame). The dispatch is the `switch` whose
 * discriminant is `jit.ct(...)`; each `case Op.X:` is one opcode's handler code. The cases are
 * checked against the opcode table on the way (case-shape.ts).
 */
import * as t from '@babel/types';
import { reject } from '../rules.ts';
import { checkCoverage, checkPcMoves, type OpcodeShape } from './case-shape.ts';
import { isJitCall } from './directives.ts';

export interface AnalysedCase {
  /** The opcode name, from `case Op.NAME:`. */
  readonly opcode: string;
  /** Line of the `case` in the interpreter source. */
  readonly line: number;
  /** The case's statements (a block's contents are flattened in). */
  readonly body: readonly t.Statement[];
}

export interface DispatchLoop {
  readonly functionName: string;
  readonly method: string;
  readonly pc: string;
  readonly frame: string;
  readonly cases: readonly AnalysedCase[];
  /** Names defined at the top level of the interpreter module (functions, imports). */
  readonly moduleBindings: ReadonlyMap<string, ModuleBinding>;
}

/** Where a module-level name comes from. */
export type ModuleBinding =
  | { readonly kind: 'import'; readonly source: string; readonly imported: string }
  | { readonly kind: 'local'; readonly exported: boolean };

/** The dispatch loop of the interpreter `ast`, its cases checked against `opcodes` (table order). */
export function findDispatchLoop(ast: t.File, file: string, opcodes: readonly OpcodeShape[]): DispatchLoop {
  for (const statement of ast.program.body) {
    const fn = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
    if (!t.isFunctionDeclaration(fn) || fn.id == null) continue;
    const loop = findLoopIn(fn.body, file, opcodes);
    if (loop !== null) {
      return { functionName: fn.id.name, ...loop, moduleBindings: moduleBindings(ast) };
    }
  }
  throw new Error(`${file}: no function contains jit.dispatchLoop(method, pc, frame)`);
}

function findLoopIn(
  body: t.BlockStatement,
  file: string,
  opcodes: readonly OpcodeShape[],
): Omit<DispatchLoop, 'functionName' | 'moduleBindings'> | null {
  for (const statement of body.body) {
    if (!t.isForStatement(statement) && !t.isWhileStatement(statement)) continue;
    const loopBody = statement.body;
    if (!t.isBlockStatement(loopBody)) continue;
    const head = loopBody.body[0];
    if (!t.isExpressionStatement(head) || !isJitCall(head.expression, 'dispatchLoop')) continue;
    const [method, pc, frame] = head.expression.arguments;
    if (!t.isIdentifier(method) || !t.isIdentifier(pc) || !t.isIdentifier(frame)) {
      return reject(file, head, 'T8', 'jit.dispatchLoop takes the identifiers (method, pc, frame)');
    }
    const dispatch = loopBody.body.find(
      (s): s is t.SwitchStatement => t.isSwitchStatement(s) && isJitCall(s.discriminant, 'ct'),
    );
    if (dispatch === undefined) throw new Error(`${file}: the dispatch loop has no switch (jit.ct(...))`);
    const cases = new Map(dispatch.cases.map((c) => [c, analyseCase(c, file)]));
    checkCoverage(dispatch, new Map([...cases].map(([c, a]) => [c, a.opcode])), opcodes, file);
    const lengths = new Map(opcodes.map((op) => [op.name, op.length]));
    for (const [c, a] of cases) {
      checkPcMoves(c, a.opcode, a.body, { pc: pc.name, length: lengths.get(a.opcode)! }, file);
    }
    return { method: method.name, pc: pc.name, frame: frame.name, cases: [...cases.values()] };
  }
  return null;
}

function analyseCase(c: t.SwitchCase, file: string): AnalysedCase {
  const test = c.test;
  if (!t.isMemberExpression(test) || !t.isIdentifier(test.property)) {
    return reject(file, c, 'T6', 'each case must be `case Op.NAME:`');
  }
  const body = c.consequent.length === 1 && t.isBlockStatement(c.consequent[0]) ? c.consequent[0].body : c.consequent;
  return { opcode: test.property.name, line: c.loc?.start.line ?? 0, body };
}

/** The names a module defines at its top level: imported names and function declarations. */
export function moduleBindings(ast: t.File): Map<string, ModuleBinding> {
  const bindings = new Map<string, ModuleBinding>();
  for (const statement of ast.program.body) {
    if (t.isImportDeclaration(statement)) {
      for (const s of statement.specifiers) {
        if (t.isImportSpecifier(s)) {
          const imported = t.isIdentifier(s.imported) ? s.imported.name : s.imported.value;
          bindings.set(s.local.name, { kind: 'import', source: statement.source.value, imported });
        }
      }
    }
    const exported = t.isExportNamedDeclaration(statement);
    const decl = exported ? statement.declaration : statement;
    if (t.isFunctionDeclaration(decl) && decl.id) bindings.set(decl.id.name, { kind: 'local', exported });
  }
  return bindings;
}
