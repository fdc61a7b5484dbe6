/**
 * The SOM abstract syntax tree: what the parser produces and the bytecode compiler consumes.
 *
 * The tree is plain data (no behaviour) so that the parser and the compiler can be tested on
 * their own. Every node carries the 1-based line and column where it starts, which the compiler
 * turns into per-bytecode source lines for backtraces and disassembly.
 */

/** A 1-based source position. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

/** A value that a literal denotes. Integers are always bigint here; the compiler narrows them. */
export type LiteralValue =
  | { readonly type: 'integer'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'symbol'; readonly value: string }
  | { readonly type: 'array'; readonly elements: readonly LiteralValue[] };

/** A declared name (field, argument, local, block parameter) and where it was declared. */
export interface Declaration extends SourcePos {
  readonly name: string;
}

/** A reference to a name: local, argument, field, global, or one of self/super/nil/true/false. */
export interface VariableExpr extends SourcePos {
  readonly kind: 'variable';
  readonly name: string;
}

export interface LiteralExpr extends SourcePos {
  readonly kind: 'literal';
  readonly value: LiteralValue;
}

/** `name := value`. Chains `a := b := 0` nest: the value of the outer is the inner assignment. */
export interface AssignExpr extends SourcePos {
  readonly kind: 'assign';
  readonly name: string;
  readonly value: Expr;
}

/**
 * A message send. `receiver` is a VariableExpr named `super` for super sends. The position is
 * that of the selector (the first keyword for keyword messages), which is what a backtrace
 * should point at.
 */
export interface SendExpr extends SourcePos {
  readonly kind: 'send';
  readonly receiver: Expr;
  readonly selector: string;
  readonly args: readonly Expr[];
}

export interface BlockExpr extends SourcePos {
  readonly kind: 'block';
  readonly params: readonly Declaration[];
  readonly locals: readonly Declaration[];
  readonly statements: readonly Statement[];
  /** Line of the closing bracket, for the block's last-line bookkeeping. */
  readonly endLine: number;
}

export type Expr = VariableExpr | LiteralExpr | AssignExpr | SendExpr | BlockExpr;

/** `^ value`. Only ever the last statement of a body. */
export interface ReturnStmt extends SourcePos {
  readonly kind: 'return';
  readonly value: Expr;
}

export type Statement = Expr | ReturnStmt;

export type MethodBody =
  | { readonly kind: 'primitive' }
  | {
      readonly kind: 'code';
      readonly locals: readonly Declaration[];
      readonly statements: readonly Statement[];
      /** Line of the closing parenthesis, where an implicit `^self` is attributed. */
      readonly endLine: number;
    };

export interface MethodDef extends SourcePos {
  readonly selector: string;
  readonly params: readonly Declaration[];
  readonly body: MethodBody;
}

export interface ClassDef extends SourcePos {
  readonly name: string;
  /** The superclass name; `null` when the source says `nil` (only Object does). Defaults to `Object`. */
  readonly superName: string | null;
  readonly instanceFields: readonly Declaration[];
  readonly instanceMethods: readonly MethodDef[];
  readonly classFields: readonly Declaration[];
  readonly classMethods: readonly MethodDef[];
  /** The file the class was read from, as given to the parser (used in error messages). */
  readonly file: string;
}
