/**
 * How a token is named in parse errors ("Expected ')', but found identifier 'foo'"), so every
 * message names what was found the same way.
 */
import type { Token } from './lexer.ts';

/** How a token is named in "but found ..." messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'identifier':
      return `identifier '${token.text}'`;
    case 'keyword':
      return `keyword '${token.text}'`;
    case 'operator':
      return `binary selector '${token.text}'`;
    case 'separator':
      return `separator '${token.text}'`;
    case 'integer':
      return `integer literal ${token.text}`;
    case 'double':
      return `double literal ${token.text}`;
    case 'string':
      return `string literal '${token.text}'`;
    case 'symbol':
      return `symbol literal #${token.text}`;
    case 'illegal':
      return `character '${token.text}'`;
    case 'eof':
      return 'end of file';
    default:
      return `'${token.text}'`;
  }
}
