/**
 * Buffered, synchronous output to a file descriptor. The VM writes through this so that
 * output order is kept within and across stdout and stderr, and everything is on the file
 * descriptors before the process exits (also from a worker thread, where process.stdout is
 * asynchronous). Writing stderr first flushes pending stdout.
 */
import { writeSync } from 'node:fs';
import type { OutputStreams } from '../interpreter/universe.ts';

const FLUSH_AT = 1 << 16;

function writeAll(fd: number, text: string): void {
  let buffer = Buffer.from(text, 'utf8');
  while (buffer.length > 0) {
    try {
      const written = writeSync(fd, buffer);
      buffer = buffer.subarray(written);
    } catch (e) {
      // A non-blocking pipe whose reader is slow: wait for it rather than lose output.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

export class SyncOutput implements OutputStreams {
  private pending: string[] = [];
  private pendingLength = 0;

  writeOut(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) this.flush();
  }

  writeErr(text: string): void {
    this.flush();
    writeAll(2, text);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    writeAll(1, text);
  }
}
