/**
 * The JIT event log (`--jit-log FILE`): one JSON object per line, so users can see how a
 * program warms up. The first line records the mode and parameters; then one line per event
 * (tier-1 compilation, on-stack replacement), each with its time in microseconds since start.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface JitEvent {
  readonly event: 'tier1-compile' | 'osr';
  readonly method: string;
  readonly [detail: string]: string | number;
}

export class JitLog {
  private readonly fd: number;
  private readonly start = process.hrtime.bigint();

  constructor(path: string, header: Readonly<Record<string, unknown>>) {
    this.fd = openSync(path, 'w');
    this.write({ event: 'start', ...header });
  }

  /** Microseconds since the log was opened. */
  now(): number {
    return Number((process.hrtime.bigint() - this.start) / 1000n);
  }

  record(event: JitEvent): void {
    this.write({ time: this.now(), ...event });
  }

  private write(record: Readonly<Record<string, unknown>>): void {
    writeSync(this.fd, `${JSON.stringify(record, infinityAsText)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** JSON has no Infinity (it would write null): a threshold that is off is logged as "Infinity". */
function infinityAsText(_key: string, value: unknown): unknown {
  return value === Infinity ? 'Infinity' : value;
}
