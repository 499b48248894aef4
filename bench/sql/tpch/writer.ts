// Buffered, synchronous writing of .tbl lines: generation is CPU-bound, so lines are gathered
// into chunks of about 4 MiB and written with one system call each.
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

const chunkCharsMax = 4 * 1024 * 1024;

export class TableWriter {
  private readonly fd: number;
  private lines: string[] = [];
  private chars = 0;
  rows = 0;

  /** Writes to `path.partial` and renames to `path` on close, so a crash never leaves a torn file. */
  constructor(private readonly path: string) {
    this.fd = openSync(`${path}.partial`, 'w');
  }

  /** One row; fields joined by '|', no trailing '|', newline-terminated. */
  line(text: string): void {
    this.lines.push(text);
    this.chars += text.length + 1;
    this.rows += 1;
    if (this.chars >= chunkCharsMax) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    writeSync(this.fd, this.lines.join('\n') + '\n');
    this.lines = [];
    this.chars = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(`${this.path}.partial`, this.path);
  }
}

/** Cents as a decimal with two places: -12345 → "-123.45". */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const fraction = absolute % 100;
  return `${sign}${Math.floor(absolute / 100)}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/** A key zero-padded to nine digits, as in "Supplier#000000042". */
export function padded9(value: number): string {
  return String(value).padStart(9, '0');
}
