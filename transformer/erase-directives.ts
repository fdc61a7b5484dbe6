/**
 * Lowers the jit.ts directives in the interpreter for the interpreter's own build: what each
 * directive means when the plain interpreter runs.
 *
 * `jit.ct(x)` and `jit.promote(x)` become `x` and `jit.isJitted()` becomes `false` (V8 does not
 * inline every call to these no-ops in the large dispatch loop, and the calls cost about a
 * quarter of the interpreter's time), `jit.dispatchLoop(...)` disappears, and
 * `jit.backEdge(method, pc, frame)` becomes the back-edge check of the installed tiers
 * (interpreter/tier-hooks.ts), through which a hot loop moves its running activation into
 * compiled code (on-stack replacement):
 *
 *     { const osr = tiers.backEdge(method, target, frame);
 *       if (osr !== NO_OSR) { if (osr !== RESUME_AT_FRAME_PC) return osr; pc = frame.pc; continue; } }
 *
 * (`pc` and `frame` are the dispatch loop's own variables, the ones `jit.dispatchLoop` names.)
 * The hook answers the activation's result when compiled code ran it to its end, or
 * RESUME_AT_FRAME_PC when it ran part of it (a trace up to a side exit) and left the frame at
 * `frame.pc`: the loop goes on there in this same call, so exits do not nest JS calls.
 *
 * The check imports only the interpreter's own tier-hooks module: the interpreter never imports
 * the runtime (the runtime installs its hooks there at start-up).
 *
 * The source as written is what the compiler generators read; this copy is what runs as the
 * interpreter (build.mjs bundles it; vitest.config.ts applies the same lowering to tests).
 */
import { parse } from '@babel/parser';
import type { NodePath } from '@babel/traverse';
import { generate, traverse } from './babel-interop.ts';
import * as t from '@babel/types';
import { relative, dirname, sep } from 'node:path';
import type { Directive } from '../interpreter/jit.ts';
import { directiveOf, isJitCall } from './analysis/directives.ts';
import { reject } from './rules.ts';

/** What each directive call becomes in the plain interpreter. */
const LOWERING: Readonly<Record<Directive, 'argument' | 'remove' | 'false' | 'osr'>> = {
  dispatchLoop: 'remove',
  ct: 'argument',
  backEdge: 'osr',
  promote: 'argument',
  isJitted: 'false',
};

const OSR_NAMES = { tiers: '__tiers', noOsr: '__TIER_NO_OSR', resume: '__TIER_RESUME' } as const;

export interface EraseOptions {
  /** Absolute path of interpreter/tier-hooks.ts, whose `tiers` provide the back-edge check. */
  readonly tierHooks: string;
}

/** The source with every directive lowered; unchanged if it has none. */
export function eraseDirectives(source: string, filename: string, options?: EraseOptions): string {
  if (!source.includes('jit.')) return source;
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'], sourceFilename: filename });
  let changed = false;
  let needsOsr = false;
  const loopPcs = dispatchLoopPcs(ast, filename);
  traverse(ast, {
    CallExpression(path) {
      if (!isJitCall(path.node)) return;
      const directive = directiveOf(path.node, filename);
      changed = true;
      const lowering = LOWERING[directive];
      if (lowering === 'argument') path.replaceWith(path.node.arguments[0] as t.Expression);
      else if (lowering === 'false') path.replaceWith(t.booleanLiteral(false));
      else {
        const statement = statementOf(path, directive, filename);
        if (lowering === 'remove' || options === undefined) statement.remove();
        else {
          statement.replaceWith(osrCheck(path.node.arguments as t.Expression[], dispatchPc(path, loopPcs, filename)));
          needsOsr = true;
        }
      }
    },
  });
  if (needsOsr && options !== undefined) ast.program.body.unshift(osrImport(filename, options.tierHooks));
  return changed ? generate(ast, { retainLines: true }, source).code : source;
}

function statementOf(path: NodePath<t.CallExpression>, directive: Directive, filename: string): NodePath {
  if (!path.parentPath.isExpressionStatement()) {
    return reject(filename, path.node, 'T8', `jit.${directive}(...) must be a statement of its own`);
  }
  return path.parentPath;
}

/** Per function, the name of its dispatch loop's pc: the second argument of `jit.dispatchLoop`. */
function dispatchLoopPcs(ast: t.File, filename: string): Map<t.Node, string> {
  const pcs = new Map<t.Node, string>();
  traverse(ast, {
    CallExpression(path) {
      const arg = path.node.arguments[1];
      if (!isJitCall(path.node) || directiveOf(path.node, filename) !== 'dispatchLoop') return;
      const fn = path.getFunctionParent();
      if (fn !== null && t.isIdentifier(arg)) pcs.set(fn.node, arg.name);
    },
  });
  return pcs;
}

/** The pc variable of the dispatch loop around a back-edge. */
function dispatchPc(path: NodePath<t.CallExpression>, pcs: Map<t.Node, string>, filename: string): t.Identifier {
  const fn = path.getFunctionParent();
  const pc = fn === null ? undefined : pcs.get(fn.node);
  if (pc === undefined) return reject(filename, path.node, 'T8', 'jit.backEdge(...) must be inside the dispatch loop');
  return t.identifier(pc);
}

/**
 * `{ const osr = __tiers.backEdge(args);
 *    if (osr !== __TIER_NO_OSR) { if (osr !== __TIER_RESUME) return osr; pc = frame.pc; continue; } }`
 */
function osrCheck(args: t.Expression[], pc: t.Identifier): t.Statement {
  const osr = t.identifier('osr');
  const backEdge = t.memberExpression(t.identifier(OSR_NAMES.tiers), t.identifier('backEdge'));
  const frame = args[2] as t.Expression;
  const resume = t.blockStatement([
    t.ifStatement(t.binaryExpression('!==', osr, t.identifier(OSR_NAMES.resume)), t.returnStatement(osr)),
    t.expressionStatement(t.assignmentExpression('=', pc, t.memberExpression(t.cloneNode(frame), t.identifier('pc')))),
    t.continueStatement(),
  ]);
  return t.blockStatement([
    t.variableDeclaration('const', [t.variableDeclarator(osr, t.callExpression(backEdge, args))]),
    t.ifStatement(t.binaryExpression('!==', osr, t.identifier(OSR_NAMES.noOsr)), resume),
  ]);
}

function osrImport(filename: string, tierHooks: string): t.Statement {
  let path = relative(dirname(filename), tierHooks).split(sep).join('/');
  if (!path.startsWith('.')) path = `./${path}`;
  return t.importDeclaration(
    [
      t.importSpecifier(t.identifier(OSR_NAMES.tiers), t.identifier('tiers')),
      t.importSpecifier(t.identifier(OSR_NAMES.noOsr), t.identifier('NO_OSR')),
      t.importSpecifier(t.identifier(OSR_NAMES.resume), t.identifier('RESUME_AT_FRAME_PC')),
    ],
    t.stringLiteral(path),
  );
}
