/**
 * `Double>>#asString`: the printing format of SOM.md §4.8 (yksom's, which the core-lib
 * IntegrationTests expect): the shortest round-trip digits, plain notation for
 * 1e-5 <= |x| < 1e16 with `.0` appended to integral values, otherwise `d.ddde±x` without a `+`.
 */

export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-5 && abs < 1e16) return plain(x);
  return scientific(x);
}

/** Plain positional notation; JS `String` prints plain for every |x| in [1e-6, 1e21). */
function plain(x: number): string {
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

function scientific(x: number): string {
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const e = exp.startsWith('+') ? exp.slice(1) : exp;
  return `${mantissa}e${e}`;
}
