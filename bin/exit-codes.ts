/**
 * Exit statuses of the `som` command, defined once. `System>>#exit:` passes its own status
 * through unchanged; these are the ones the VM chooses itself.
 */
export const EXIT_CODES = {
  /** The program ran to completion. */
  success: 0,
  /** The SOM program failed: parse error, load error, runtime error, or `error:` (SOM.md §11). */
  somError: 1,
  /** The command line was wrong (unknown option, bad classpath, unsupported mode). */
  usage: 2,
  /** A bug in the VM itself (a broken invariant); the report includes the JS stack. */
  internal: 70,
} as const;
