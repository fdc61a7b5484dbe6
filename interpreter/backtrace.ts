/**
 * SOM-level backtraces: the activations from the outermost to the innermost, each with the
 * method (`Class>>selector`, blocks marked `[] in`), the source file, line and column, and that
 * source line (SOM.md §11.2, yksom's layout plus the method name).
 */
import { readFileSync } from 'node:fs';
import type { Frame } from './model/frame.ts';
import type { SomMethod } from './model/method.ts';

const sourceCache = new Map<string, readonly string[]>();

function sourceLine(file: string, line: number): string {
  let lines = sourceCache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
    } catch {
      lines = [];
    }
    sourceCache.set(file, lines);
  }
  return (lines[line - 1] ?? '').trim();
}

/** `Foo>>bar:` for a method, `[] in Foo>>bar:` for a block in it. */
export function methodName(method: SomMethod): string {
  const home = method.homeMethod;
  const name = `${home.holder.name.s}>>${home.signature.s}`;
  return method.isBlock ? `[] in ${name}` : name;
}

/** The source position of the instruction at `pc` (the nearest recorded one at or before it). */
export function positionAt(method: SomMethod, pc: number): { line: number; column: number } {
  for (let p = Math.min(pc, method.lines.length - 1); p >= 0; p--) {
    const line = method.lines[p]!;
    if (line > 0) return { line, column: method.columns[p]! };
  }
  return { line: method.line, column: 0 };
}

/** The activations from `frame` outward, outermost first. */
export function activations(frame: Frame | null): Frame[] {
  const frames: Frame[] = [];
  // The VM's own entry frame (no source) is not part of the program's backtrace.
  for (let f = frame; f !== null; f = f.caller) if (f.method.sourceFile !== '<vm>') frames.push(f);
  return frames.reverse();
}

/** The full traceback text, ending with `message` (a full stop is added if missing). */
export function formatBacktrace(frame: Frame | null, message: string): string {
  const out = ['Traceback (most recent call at bottom):'];
  const frames = activations(frame);
  // A runaway recursion has tens of thousands of activations: show both ends.
  const shown = frames.length > 60 ? [...frames.slice(0, 20), null, ...frames.slice(-30)] : frames;
  for (const f of shown) {
    if (f === null) {
      out.push(`  ... ${frames.length - 50} more activations ...`);
      continue;
    }
    const { line, column } = positionAt(f.method, f.pc);
    out.push(`  File ${f.method.sourceFile}, line ${line}, column ${column}, in ${methodName(f.method)}`);
    const text = sourceLine(f.method.sourceFile, line);
    if (text !== '') out.push(`    ${text}`);
  }
  out.push(message.endsWith('.') ? message : `${message}.`);
  return out.join('\n');
}
