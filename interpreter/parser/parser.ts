/**
 * The SOM parser: a recursive-descent parser from one class's source text to a ClassDef.
 *
 * It follows the grammar of SOM.md §2, one method per rule, and also performs the static checks
 * that need no knowledge of other classes: duplicate fields per side, duplicate argument and
 * local names per method or block scope, blocks with more than two parameters, code after a
 * `^` return, assignment to a reserved name, and reserved names declared as variables. Name
 * resolution (unknown variables, fields redeclaring a superclass field, file name versus class
 * name) is left to the compiler and the class loader, which know the other classes.
 *
 * Every error is a SomParseError with the file, the 1-based line and column of the offending
 * token and a message saying what was expected and what was found.
 */

import type {
  AssignExpr,
  BlockExpr,
  ClassDef,
  Declaration,
  Expr,
  LiteralValue,
  MethodBody,
  MethodDef,
  ReturnStmt,
  SendExpr,
  SourcePos,
  Statement,
} from './ast.ts';
import { Lexer, type Token, type TokenKind } from './lexer.ts';
import { describeToken } from './token-description.ts';
import { RESERVED_NAMES, declarationProblem, type Role, type Scope } from './declarations.ts';

/** Parses the source of one class definition, as read from `file` (used in error messages). */
export function parseClass(source: string, file: string): ClassDef {
  return new Parser(source, file).classDef();
}

class Parser {
  private readonly lexer: Lexer;
  /** The current token, not consumed yet. */
  private tok: Token;
  /** The token after `tok`, once `peek` has read it. */
  private ahead: Token | null = null;

  constructor(source: string, file: string) {
    this.lexer = new Lexer(source, file);
    this.tok = this.lexer.next();
  }

  // ---- classes ----

  /** ClassDef := Name '=' [SuperName] '(' Fields? Method* ( Separator Fields? Method* )? ')' */
  classDef(): ClassDef {
    const name = this.expectName('a class name');
    this.expectOperator('=', "'=' after the class name");
    const superName = this.superName();
    this.expect('lparen', "'(' to open the class body");
    const instanceFields = this.fields();
    const instanceMethods = this.methods();
    let classFields: Declaration[] = [];
    let classMethods: MethodDef[] = [];
    if (this.at('separator')) {
      this.advance();
      classFields = this.fields();
      classMethods = this.methods();
    } else if (!this.at('rparen')) {
      this.unexpected("a method definition, the separator '----' or ')'");
    }
    this.expect('rparen', "a method definition or ')'");
    this.expect('eof', 'end of file after the class definition');
    const { line, column } = name;
    const file = this.lexer.file;
    return {
      name: name.text,
      superName,
      instanceFields,
      instanceMethods,
      classFields,
      classMethods,
      file,
      line,
      column,
    };
  }

  /** `nil` means no superclass; no name at all means Object. */
  private superName(): string | null {
    if (!this.isName()) return 'Object';
    const text = this.advance().text;
    return text === 'nil' ? null : text;
  }

  /** Fields := '|' Name* '|', checked for duplicates within this side of the class. */
  private fields(): Declaration[] {
    return this.nameList(new Map(), 'field');
  }

  private methods(): MethodDef[] {
    const methods: MethodDef[] = [];
    while (this.isName() || this.at('keyword') || this.at('operator')) {
      methods.push(this.method());
    }
    return methods;
  }

  // ---- methods ----

  /** Method := Pattern '=' ( 'primitive' | '(' Body ')' ) */
  private method(): MethodDef {
    const first = this.tok;
    const scope: Scope = new Map();
    const params: Declaration[] = [];
    const selector = this.pattern(scope, params);
    this.expectOperator('=', "'=' after the method pattern");
    const body = this.methodBody(scope);
    return { selector, params, body, line: first.line, column: first.column };
  }

  /** Pattern := UnarySelector | BinarySelector ArgName | (Keyword ArgName)+; returns the selector. */
  private pattern(scope: Scope, params: Declaration[]): string {
    if (this.isName()) return this.advance().text;
    if (this.at('operator')) {
      const selector = this.advance().text;
      params.push(this.declare(scope, this.expectName('an argument name'), 'argument'));
      return selector;
    }
    let selector = '';
    while (this.at('keyword')) {
      selector += this.advance().text;
      params.push(this.declare(scope, this.expectName('an argument name'), 'argument'));
    }
    return selector;
  }

  private methodBody(scope: Scope): MethodBody {
    if (this.at('primitive')) {
      this.advance();
      return { kind: 'primitive' };
    }
    this.expect('lparen', "'(' or 'primitive' after '='");
    const locals = this.nameList(scope, 'local');
    const statements = this.statements('rparen');
    const endLine = this.expect('rparen', "'.' or ')'").line;
    return { kind: 'code', locals, statements, endLine };
  }

  // ---- declarations ----

  /** '|' Name* '|', or nothing when the current token is not '|'. */
  private nameList(scope: Scope, role: Role): Declaration[] {
    if (!this.isOperator('|')) return [];
    this.advance();
    const decls: Declaration[] = [];
    while (this.isName()) decls.push(this.declare(scope, this.advance(), role));
    this.expectOperator('|', `a ${role} name or '|'`);
    return decls;
  }

  /** Records a declared name in `scope`, rejecting reserved names and names already there. */
  private declare(scope: Scope, token: Token, role: Role): Declaration {
    const decl: Declaration = { name: token.text, line: token.line, column: token.column };
    const problem = declarationProblem(scope, decl, role);
    if (problem !== null) this.failAt(decl, problem);
    scope.set(decl.name, { role, decl });
    return decl;
  }

  // ---- statements ----

  /**
   * Statements := empty | '^' Expr '.'? | Expr ( '.' Statements )?
   * Stops before `closer` (or at anything unexpected, which the caller's `expect` reports).
   */
  private statements(closer: 'rparen' | 'rbracket'): Statement[] {
    const closeText = closer === 'rparen' ? "')'" : "']'";
    const statements: Statement[] = [];
    while (!this.at(closer)) {
      if (this.at('period')) {
        this.unexpected(`a statement or ${closeText} (empty statements are not allowed)`);
      }
      if (this.at('caret')) {
        statements.push(this.returnStatement());
        if (this.at('period')) this.advance();
        if (!this.at(closer)) {
          this.unexpected(`${closeText} after a return statement (no code may follow '^')`);
        }
        break;
      }
      statements.push(this.expression());
      if (!this.at('period')) break;
      this.advance();
    }
    return statements;
  }

  private returnStatement(): ReturnStmt {
    const caret = this.advance();
    const value = this.expression();
    return { kind: 'return', value, line: caret.line, column: caret.column };
  }

  // ---- expressions ----

  /** Expr := (Name ':=')* KeywordExpr */
  private expression(): Expr {
    if (this.isName() && this.peek().kind === 'assign') return this.assignment();
    return this.keywordExpression();
  }

  private assignment(): AssignExpr {
    const target = this.advance();
    if (RESERVED_NAMES.has(target.text)) {
      this.failAt(target, `Cannot assign to '${target.text}': it is a reserved name, not a variable`);
    }
    this.advance(); // :=
    const value = this.expression();
    return { kind: 'assign', name: target.text, value, line: target.line, column: target.column };
  }

  /** KeywordExpr := BinaryExpr (Keyword BinaryExpr)*, all keywords forming one selector. */
  private keywordExpression(): Expr {
    const receiver = this.binaryExpression();
    if (!this.at('keyword')) return receiver;
    const first = this.tok;
    let selector = '';
    const args: Expr[] = [];
    while (this.at('keyword')) {
      selector += this.advance().text;
      args.push(this.binaryExpression());
    }
    return send(receiver, selector, args, first);
  }

  /** BinaryExpr := UnaryExpr (BinarySelector UnaryExpr)*, left to right. */
  private binaryExpression(): Expr {
    let expr = this.unaryExpression();
    while (this.at('operator')) {
      const operator = this.advance();
      expr = send(expr, operator.text, [this.unaryExpression()], operator);
    }
    return expr;
  }

  /** UnaryExpr := Primary UnarySelector* */
  private unaryExpression(): Expr {
    let expr = this.primary();
    while (this.isName()) {
      const selector = this.advance();
      expr = send(expr, selector.text, [], selector);
    }
    return expr;
  }

  /** Primary := Name | Literal | Block | '(' Expr ')' */
  private primary(): Expr {
    const start = this.tok;
    if (this.isName()) {
      this.advance();
      return { kind: 'variable', name: start.text, line: start.line, column: start.column };
    }
    if (start.kind === 'lparen') {
      this.advance();
      const expr = this.expression();
      this.expect('rparen', "')'");
      return expr;
    }
    if (start.kind === 'lbracket') return this.block();
    const value = this.literal('an expression');
    return { kind: 'literal', value, line: start.line, column: start.column };
  }

  // ---- blocks ----

  /** Block := '[' ( (':' ArgName)+ '|' )? Locals? Statements ']' */
  private block(): BlockExpr {
    const open = this.advance();
    const scope: Scope = new Map();
    const params = this.blockParameters(scope);
    const locals = this.nameList(scope, 'block local');
    const statements = this.statements('rbracket');
    const endLine = this.expect('rbracket', "'.' or ']'").line;
    return {
      kind: 'block',
      params,
      locals,
      statements,
      endLine,
      line: open.line,
      column: open.column,
    };
  }

  private blockParameters(scope: Scope): Declaration[] {
    if (!this.at('colon')) return [];
    const params: Declaration[] = [];
    while (this.at('colon')) {
      const colon = this.advance();
      const name = this.expectName("a block parameter name after ':'");
      if (params.length === 2) {
        this.failAt(colon, 'Blocks with more than 2 parameters are not supported');
      }
      params.push(this.declare(scope, name, 'block parameter'));
    }
    this.expectOperator('|', "another ':parameter' or '|' after the block parameters");
    return params;
  }

  // ---- literals ----

  /** A number (maybe negative), string, symbol or literal array; otherwise `expected` is reported. */
  private literal(expected: string): LiteralValue {
    const token = this.tok;
    switch (token.kind) {
      case 'integer':
      case 'double':
        return this.number(false);
      case 'string':
        this.advance();
        return { type: 'string', value: token.text };
      case 'symbol':
        this.advance();
        return { type: 'symbol', value: token.text };
      case 'arrayStart':
        return this.literalArray();
      case 'operator':
        // A '-' where a primary is expected starts a negative number, even with space after it.
        if (token.text === '-') {
          this.advance();
          return this.number(true);
        }
        return this.unexpected(expected);
      default:
        return this.unexpected(expected);
    }
  }

  private number(negative: boolean): LiteralValue {
    const token = this.tok;
    if (token.kind === 'integer') {
      this.advance();
      const value = BigInt(token.text);
      return { type: 'integer', value: negative ? -value : value };
    }
    if (token.kind === 'double') {
      this.advance();
      const value = Number(token.text);
      return { type: 'double', value: negative ? -value : value };
    }
    return this.unexpected("a number after '-' (there is no unary minus: write 'x negated')");
  }

  /** '#(' Literal* ')', where nested arrays and symbols keep their '#'. */
  private literalArray(): LiteralValue {
    this.advance();
    const elements: LiteralValue[] = [];
    while (!this.at('rparen')) elements.push(this.literal("a literal or ')' in the literal array"));
    this.advance();
    return { type: 'array', elements };
  }

  // ---- tokens ----

  private advance(): Token {
    const token = this.tok;
    this.tok = this.ahead ?? this.lexer.next();
    this.ahead = null;
    return token;
  }

  /** Whether the current token is of `kind`; a method, so that tsc does not narrow `tok`. */
  private at(kind: TokenKind): boolean {
    return this.tok.kind === kind;
  }

  private peek(): Token {
    this.ahead ??= this.lexer.next();
    return this.ahead;
  }

  /** True for an identifier, and for `primitive`, which is accepted wherever a name is (§1.2). */
  private isName(): boolean {
    return this.at('identifier') || this.at('primitive');
  }

  private isOperator(text: string): boolean {
    return this.at('operator') && this.tok.text === text;
  }

  private expect(kind: TokenKind, expected: string): Token {
    if (!this.at(kind)) this.unexpected(expected);
    return this.advance();
  }

  private expectName(expected: string): Token {
    if (!this.isName()) this.unexpected(expected);
    return this.advance();
  }

  private expectOperator(text: string, expected: string): Token {
    if (!this.isOperator(text)) this.unexpected(expected);
    return this.advance();
  }

  /** Reports the current token as a syntax error. */
  private unexpected(expected: string): never {
    return this.failAt(this.tok, `Unexpected symbol. Expected ${expected}, but found ${describeToken(this.tok)}`);
  }

  private failAt(pos: SourcePos, detail: string): never {
    return this.lexer.fail(pos.line, pos.column, detail);
  }
}

/** A SendExpr positioned at its (first) selector token. */
function send(receiver: Expr, selector: string, args: readonly Expr[], at: Token): SendExpr {
  return { kind: 'send', receiver, selector, args, line: at.line, column: at.column };
}
