/**
 * The parser's static checks on declared names (SOM.md §2.1, §2.2, §2.6): reserved names are
 * never variables, and one scope (a class side, a method, a block) declares a name once.
 * Shadowing a name of an enclosing scope is allowed, so each scope is checked on its own.
 */
import type { Declaration } from './ast.ts';

/** Names that are never variables: they cannot be assigned to or declared (§2.4, §2.6). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['self', 'super', 'nil', 'true', 'false']);

/** What a declared name is, for duplicate and reserved-name messages. */
export type Role = 'field' | 'argument' | 'local' | 'block parameter' | 'block local';

/** The names declared in one scope (a class side, a method, a block). */
export type Scope = Map<string, { readonly role: Role; readonly decl: Declaration }>;

function withArticle(role: Role): string {
  return role === 'argument' ? 'an argument' : `a ${role}`;
}

/** Why `decl` cannot be declared as `role` in `scope`, or null if it can. */
export function declarationProblem(scope: Scope, decl: Declaration, role: Role): string | null {
  if (RESERVED_NAMES.has(decl.name)) {
    return `'${decl.name}' is a reserved name and cannot be declared as ${withArticle(role)}`;
  }
  const previous = scope.get(decl.name);
  if (previous === undefined) return null;
  const where = `line ${previous.decl.line}, column ${previous.decl.column}`;
  return `Duplicate ${role} '${decl.name}': already declared as ${withArticle(previous.role)} at ${where}`;
}
