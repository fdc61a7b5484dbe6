/**
 * Parsed class definitions kept from the build, so that start-up need not parse the standard
 * library again on every run (the parser runs cold then, and it is a good part of start-up).
 *
 * The build (bin/make-caches.mjs) parses every class file of the library directory and writes
 * the definitions, keyed by their exact source text, to one file next to the VM bundle, named
 * for the bundle's build. At run time the class loader asks `parse` for every class file it
 * reads: a source that is in the file, character for character, gets its stored definition; any
 * other source (a changed library file, the program's own classes) is parsed as always. So a
 * stored definition can never stand for a source that differs from the one it was parsed from,
 * and one made by another build (another parser) is never used. Only sources that parsed
 * without error are stored, and the file name is the only part of a definition that depends on
 * where it was read from: it is filled in per lookup.
 *
 * The file: one line of JSON (the build, and per class where its source and its definition
 * are in the rest, and where the definition has bigints), then the sources and definitions as
 * text. Definitions are plain data (parser/ast.ts) written as JSON, bigints as digit strings
 * that are turned back at the recorded paths; each is parsed only when its class is loaded.
 * JSON rather than the V8 serializer, because node:v8 pulls in the stream modules, which costs
 * more start-up time than it saves.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClass } from '../../interpreter/parser/parser.ts';
import type { ClassDef } from '../../interpreter/parser/ast.ts';
import type { ClassParser } from '../../interpreter/class-loader.ts';

/** Property names and indices from a definition down to one of its values. */
type Path = readonly (string | number)[];

interface StoredClass {
  /** Start and end of the source text in the file's body. */
  readonly source: readonly [number, number];
  /** Start and end of the definition's JSON in the file's body. */
  readonly def: readonly [number, number];
  readonly bigints: readonly Path[];
}

interface Header {
  readonly build: string;
  readonly classes: readonly StoredClass[];
}

/** A stored definition: its JSON text and where its bigints are. */
interface Entry {
  readonly json: string;
  readonly bigints: readonly Path[];
}

/** Where a run finds the stored classes: the file and the build they must be from. */
export interface StoredClassesRef {
  readonly file: string;
  readonly build: string;
}

/** The class parser for a run: with the stored classes it names, if any. */
export function parserFor(stored: StoredClassesRef | undefined): ClassParser {
  return stored === undefined ? parseClass : parserWithStoredClasses(stored.file, stored.build);
}

/**
 * A parser that answers the definitions stored in `file` by the build `build`, and parses
 * every other source. Without a readable file of that build it is just the parser.
 */
export function parserWithStoredClasses(file: string, build: string): ClassParser {
  const stored = readStoredClasses(file, build);
  if (stored.size === 0) return parseClass;
  return (source, sourceFile) => {
    const entry = stored.get(source);
    return entry === undefined ? parseClass(source, sourceFile) : { ...decode(entry), file: sourceFile };
  };
}

function readStoredClasses(file: string, build: string): Map<string, Entry> {
  const stored = new Map<string, Entry>();
  let text: string;
  let header: Header;
  try {
    text = readFileSync(file, 'utf8');
    header = JSON.parse(text.slice(0, text.indexOf('\n'))) as Header;
  } catch {
    return stored;
  }
  if (header.build !== build) return stored;
  const body = text.indexOf('\n') + 1;
  const slice = ([start, end]: readonly [number, number]): string => text.slice(body + start, body + end);
  for (const c of header.classes) stored.set(slice(c.source), { json: slice(c.def), bigints: c.bigints });
  return stored;
}

function decode(entry: Entry): ClassDef {
  const def = JSON.parse(entry.json) as Record<string | number, unknown>;
  for (const path of entry.bigints) {
    let holder = def;
    for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    holder[last] = BigInt(holder[last] as string);
  }
  return def as unknown as ClassDef;
}

/** Where the bigints are in `value`. */
function bigintPaths(value: unknown, path: Path = [], found: Path[] = []): Path[] {
  if (typeof value === 'bigint') found.push(path);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      bigintPaths(child, [...path, Array.isArray(value) ? Number(key) : key], found);
    }
  }
  return found;
}

/** Parses every class file in `dir` and stores the definitions in `file` for the build `build`. */
export function storeParsedClasses(dir: string, file: string, build: string): void {
  let body = '';
  const add = (text: string): [number, number] => {
    body += text;
    return [body.length - text.length, body.length];
  };
  const classes: StoredClass[] = readdirSync(dir)
    .filter((name) => name.endsWith('.som'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const def = { ...parseClass(text, name), file: '' };
      const json = JSON.stringify(def, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
      return { source: add(text), def: add(json), bigints: bigintPaths(def) };
    });
  const header: Header = { build, classes };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(header)}\n${body}`);
  renameSync(`${file}.tmp`, file);
}
