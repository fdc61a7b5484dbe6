/**
 * Where a run came from, as the results file records it: the machine (CPU model and count,
 * memory, platform, Node version), the git commit and whether the working tree differed from
 * it, and the command line. A figure without these cannot be judged or reproduced.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { relative } from 'node:path';

export interface HostInfo {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryBytes: number;
}

export interface GitInfo {
  /** `git rev-parse --short HEAD`, or null outside a git checkout. */
  readonly commit: string | null;
  /** Whether `git status --porcelain` listed anything, or null outside a git checkout. */
  readonly dirty: boolean | null;
  /** The paths `git status --porcelain` listed (modified, added, untracked), so "dirty" can be judged. */
  readonly changedPaths: readonly string[];
}

export function hostInfo(): HostInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryBytes: os.totalmem(),
  };
}

/** The commit checked out in `root` and the working tree's changes against it. */
export function gitInfo(root: string): GitInfo {
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  const status = commit === null ? null : git(root, ['status', '--porcelain']);
  if (commit === null || status === null) return { commit: null, dirty: null, changedPaths: [] };
  const changedPaths = status
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3)); // porcelain v1: two status letters and a space, then the path
  return { commit: commit.trim(), dirty: changedPaths.length > 0, changedPaths };
}

/** The output of git, or null if git is missing or fails (not a checkout). */
function git(root: string, args: readonly string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/**
 * The command line that started this process, with the script relative to `root` and
 * `node` for the Node binary, so that it can be pasted into a shell at the repository root.
 */
export function commandLine(root: string, argv: readonly string[]): string[] {
  const script = process.argv[1];
  return ['node', ...process.execArgv, script === undefined ? '' : relative(root, script), ...argv];
}

/** The command as one shell line: arguments with characters the shell treats specially are quoted. */
export function shellLine(command: readonly string[]): string {
  return command.map((arg) => (/^[\w./,:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** "abc1234", "abc1234 plus 3 uncommitted changes", or "outside a git checkout". */
export function describeCommit(git: GitInfo): string {
  if (git.commit === null) return 'outside a git checkout';
  const n = git.changedPaths.length;
  return git.dirty === true ? `${git.commit} plus ${n} uncommitted change${n === 1 ? '' : 's'}` : git.commit;
}

export function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
