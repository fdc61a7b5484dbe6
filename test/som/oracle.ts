/**
 * The oracle of a SOM test program: the header comment that states what running it must do.
 *
 * Every program under test/som/ (except the harness and suite classes) opens with a comment
 * in this shape (the yksom lang_tests habit, STYLE.md §5):
 *
 *     "
 *     exit: 0
 *     cli: true                     (optional: spawn the real `som` instead of running in-process)
 *     classpath: dir1:dir2          (optional: extra directories, repo-relative, before Smalltalk)
 *     args: one two 1.5             (optional: user arguments after the program file)
 *     stdout:
 *       line one
 *       line two
 *     stderr:
 *       a substring that must appear in stderr
 *     "
 *
 * `stdout:` lines are indented by two spaces, which are stripped; together they are the EXACT
 * stdout, each line ending in `\n`. An empty line inside a section is an empty expected line.
 * A missing `stdout:` section means stdout must be empty. `stderr:` lines are substrings that must
 * each appear in stderr. The parser is strict (unknown keys, bad indentation, duplicates and a
 * missing `exit:` are errors) because a lenient parser could make a test pass vacuously.
 *
 * `checkRun` compares a run with its oracle and answers the list of problems (empty = pass).
 * Independently of the header, it also rejects any JavaScript stack trace in the output: the VM
 * must never show one to a SOM programmer (SOM.md §0).
 */

export interface Oracle {
  readonly exit: number;
  /** Exact stdout, one entry per line, without the line breaks. */
  readonly stdout: readonly string[];
  /** Substrings that must each appear in stderr. */
  readonly stderr: readonly string[];
  /** Run by spawning `node bin/som.mjs` (needed for deep recursion), not in-process. */
  readonly cli: boolean;
  /** Extra classpath entries, repo-relative, placed before `Smalltalk`. */
  readonly classpath: readonly string[];
  /** User arguments, passed after the program file. */
  readonly args: readonly string[];
}

/** What a run produced, in-process or spawned. */
export interface RunOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class OracleSyntaxError extends Error {
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: bad oracle header: ${detail}`);
    this.name = 'OracleSyntaxError';
  }
}

/** A line of a JavaScript stack trace, as Node prints it (`    at foo (/x/y.js:12:3)`). */
export const JS_STACK_LINE = /^\s+at .*\.(js|mjs|cjs|ts):\d+/m;

const SECTION_INDENT = '  ';
const KEY_LINE = /^([a-z]+):(.*)$/;

type Key = 'exit' | 'stdout' | 'stderr' | 'cli' | 'classpath' | 'args';
const KEYS: readonly Key[] = ['exit', 'stdout', 'stderr', 'cli', 'classpath', 'args'];

function isKey(name: string): name is Key {
  return (KEYS as readonly string[]).includes(name);
}

/** Answers true iff the source starts with a header comment (its first line is exactly `"`). */
export function hasHeader(source: string): boolean {
  const firstLine = source.split('\n', 1)[0] ?? '';
  return firstLine.replace(/\r$/, '') === '"';
}

interface Draft {
  exit?: number;
  stdout?: string[];
  stderr?: string[];
  cli?: boolean;
  classpath?: string[];
  args?: string[];
}

/** Parses the header of `source`; `file` is only used in error messages. */
export function parseOracle(source: string, file: string): Oracle {
  const lines = source.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0] !== '"') throw new OracleSyntaxError(file, 1, 'the file must start with a line holding only "');
  const end = lines.indexOf('"', 1);
  if (end < 0) throw new OracleSyntaxError(file, 1, 'the header comment is not closed by a line holding only "');
  const draft: Draft = {};
  let section: string[] | undefined;
  for (let i = 1; i < end; i++) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    if (line.includes('"')) throw new OracleSyntaxError(file, lineNo, 'a header line cannot contain "');
    const key = KEY_LINE.exec(line);
    if (key !== null) {
      section = readKey(draft, key[1] ?? '', (key[2] ?? '').trim(), file, lineNo);
    } else if (section === undefined) {
      throw new OracleSyntaxError(file, lineNo, `expected "key:" but found ${JSON.stringify(line)}`);
    } else if (line === '') {
      section.push('');
    } else if (line.startsWith(SECTION_INDENT)) {
      section.push(line.slice(SECTION_INDENT.length));
    } else {
      throw new OracleSyntaxError(
        file,
        lineNo,
        `section lines must be indented by two spaces: ${JSON.stringify(line)}`,
      );
    }
  }
  if (draft.exit === undefined) throw new OracleSyntaxError(file, 1, 'missing "exit:"');
  return {
    exit: draft.exit,
    stdout: draft.stdout ?? [],
    stderr: draft.stderr ?? [],
    cli: draft.cli ?? false,
    classpath: draft.classpath ?? [],
    args: draft.args ?? [],
  };
}

/** Records one `key: value` line; answers the section that following lines belong to, if any. */
function readKey(draft: Draft, name: string, value: string, file: string, line: number): string[] | undefined {
  if (!isKey(name)) throw new OracleSyntaxError(file, line, `unknown key "${name}:"`);
  if (draft[name] !== undefined) throw new OracleSyntaxError(file, line, `duplicate key "${name}:"`);
  switch (name) {
    case 'exit':
      if (!/^\d+$/.test(value)) throw new OracleSyntaxError(file, line, `exit status must be a number: "${value}"`);
      draft.exit = Number(value);
      return undefined;
    case 'cli':
      if (value !== 'true' && value !== 'false') throw new OracleSyntaxError(file, line, 'cli must be true or false');
      draft.cli = value === 'true';
      return undefined;
    case 'classpath':
      draft.classpath = value.split(':').filter((d) => d !== '');
      return undefined;
    case 'args':
      draft.args = value.split(/\s+/).filter((a) => a !== '');
      return undefined;
    case 'stdout':
    case 'stderr': {
      if (value !== '') throw new OracleSyntaxError(file, line, `"${name}:" takes its lines below it`);
      const lines: string[] = [];
      draft[name] = lines;
      return lines;
    }
  }
}

/** The exact stdout an oracle expects. */
export function expectedStdout(oracle: Oracle): string {
  return oracle.stdout.map((line) => `${line}\n`).join('');
}

/** Compares a run with its oracle. Answers a human-readable list of problems; empty means pass. */
export function checkRun(oracle: Oracle, run: RunOutcome): string[] {
  const problems: string[] = [];
  if (run.exitCode !== oracle.exit) problems.push(`exit status: expected ${oracle.exit}, got ${run.exitCode}`);
  const stdout = expectedStdout(oracle);
  if (run.stdout !== stdout) problems.push(describeStdoutMismatch(stdout, run.stdout));
  for (const needle of oracle.stderr) {
    if (!run.stderr.includes(needle)) problems.push(`stderr lacks ${JSON.stringify(needle)}`);
  }
  if (JS_STACK_LINE.test(run.stderr) || JS_STACK_LINE.test(run.stdout)) {
    problems.push('the output contains a JavaScript stack trace');
  }
  return problems;
}

/** Names the first differing line, so that a failure is readable without a diff tool. */
function describeStdoutMismatch(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  return (
    `stdout differs at line ${i + 1}: expected ${JSON.stringify(want[i] ?? '<end>')}, ` +
    `got ${JSON.stringify(got[i] ?? '<end>')}`
  );
}
