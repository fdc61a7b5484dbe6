/**
 * The sample interpreter of the transformer tests (fixtures/mini) and what the tests do with it:
 * run the transformer on it or on a modified copy of its sources, catch the TransformError a
 * breach gives, find the line a breach should be reported at, and load a generated module next
 * to a copy of the fixture so that its imports resolve.
 */
import { expect } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCompilers, type GenerateOptions, type GenerateResult } from '../../transformer/generate.ts';
import { TransformError } from '../../transformer/rules.ts';
import { LENGTHS, Op } from './fixtures/mini/opcodes.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MINI = fileURLToPath(new URL('./fixtures/mini/', import.meta.url));

/** The mini opcodes in numbering order, with their lengths. */
export const MINI_OPS = Object.keys(LENGTHS)
  .map(Number)
  .map((op: Op) => ({ name: Op[op], length: LENGTHS[op] }));

/** A source file of the fixture. */
export function miniSource(file: 'interpreter.ts' | 'handlers.ts'): string {
  return readFileSync(join(MINI, file), 'utf8');
}

/** The transformer run on the fixture; `changes` replaces the text of some of its files. */
export function transformMini(
  changes: { interpreter?: string; handlers?: string } = {},
  options: Partial<GenerateOptions> = {},
): GenerateResult {
  return generateCompilers({
    root: MINI,
    interpreterFile: 'interpreter.ts',
    outputDir: 'out',
    opcodes: MINI_OPS,
    ...(changes.interpreter === undefined ? {} : { interpreterSource: changes.interpreter }),
    ...(changes.handlers === undefined ? {} : { moduleSources: { 'handlers.ts': changes.handlers } }),
    ...options,
  });
}

/** The TransformError `run` throws; fails the test if it throws none. */
export function rejection(run: () => unknown): TransformError {
  try {
    run();
  } catch (e) {
    if (e instanceof TransformError) return e;
    throw e;
  }
  throw new Error('the transformer accepted the code');
}

/** The 1-based number of the first line of `source` matching `pattern` (from the case `from` on). */
export function lineOf(source: string, pattern: RegExp, from?: string): number {
  const lines = source.split('\n');
  const start = from === undefined ? 0 : lines.findIndex((l) => l.trim() === `case Op.${from}:`);
  const index = lines.findIndex((l, i) => i >= start && pattern.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(index).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** Copies of the fixture made by `loadGenerated`; `removeCopies` deletes them (call it in afterAll). */
const copies: string[] = [];

export function removeCopies(): void {
  copies.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
}

/** Writes a generated module (`out/<name>`) into a copy of the fixture and imports it. */
export async function loadGenerated<T>(name: string, code: string): Promise<T> {
  const dir = mkdtempSync(join(MINI, '..', 'tmp-mini-'));
  copies.push(dir);
  cpSync(MINI, dir, { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  writeFileSync(join(dir, 'out', name), code);
  return (await import(join(dir, 'out', name))) as T;
}
