/**
 * A static census of the SOM conformance suite: for each TestCase subclass in
 * test/som/suite/, how many test methods it has and how many assertion sends it contains.
 *
 * The harness counts assertions at run time, and the suite's convention (see
 * test/som/harness/TestCase.som) is that every assertion send sits at the statement level of
 * a test method, so it runs exactly once. The census read from the source is therefore the
 * expected run-time count. som-programs.test.ts uses it two ways: to check that the oracle
 * of AllTests.som states exactly these counts (so the header cannot go stale when a test is
 * added), and to know which suite classes to run one by one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteClassCensus {
  readonly className: string;
  readonly file: string;
  readonly tests: number;
  readonly assertions: number;
}

const TEST_CASE_SUBCLASS = /^\s*(\w+)\s*=\s*TestCase\s*\(/m;
const TEST_METHOD = /^\s+test\w*\s*=\s*\(/gm;
const ASSERTION_SEND = /\bself\s+(?:assert|deny)\s*:/g;

/** The census of every TestCase subclass in `suiteDir`, sorted by class name. */
export function takeCensus(suiteDir: string): SuiteClassCensus[] {
  const result: SuiteClassCensus[] = [];
  for (const name of readdirSync(suiteDir).sort()) {
    if (!name.endsWith('.som')) continue;
    const file = join(suiteDir, name);
    const source = readFileSync(file, 'utf8');
    const match = TEST_CASE_SUBCLASS.exec(source);
    if (match === null) continue;
    result.push({
      className: match[1] ?? '',
      file,
      tests: source.match(TEST_METHOD)?.length ?? 0,
      assertions: source.match(ASSERTION_SEND)?.length ?? 0,
    });
  }
  return result;
}

/** The line TestRunner prints for a class whose tests all pass. */
export function passingSummaryLine(census: SuiteClassCensus): string {
  return `${census.className}: ${census.tests} tests, ${census.assertions} assertions, 0 failures`;
}

/** The Total line TestRunner prints when every class in `census` passes. */
export function passingTotalLine(census: readonly SuiteClassCensus[]): string {
  const tests = census.reduce((sum, c) => sum + c.tests, 0);
  const assertions = census.reduce((sum, c) => sum + c.assertions, 0);
  return `Total: ${tests} tests, ${assertions} assertions, 0 failures`;
}
