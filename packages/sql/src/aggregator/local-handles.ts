/**
 * Open connections to partition files of local leaves, by file. Every one is closed when the
 * catalog changes (a dropped, re-created or moved partition), and a file whose connection
 * failed is left to the leaf for a while before it is opened again.
 */
const RETRY_AFTER_FAILURE_MS = 1_000;

export class FileHandles<T extends { close(): void }> {
  private readonly handles = new Map<string, T>();
  /** Files whose connection failed, with when they may be opened again. */
  private readonly failed = new Map<string, number>();
  private version = -1;

  constructor(
    private readonly open: (file: string) => T,
    /** The catalog version now (placement changes move it). */
    private readonly catalogVersion: () => number,
  ) {}

  /** The file's open connection (opened now if needed); undefined when it failed lately. */
  get(file: string): T | undefined {
    const version = this.catalogVersion();
    if (version !== this.version) {
      this.close();
      this.version = version;
    }
    const open = this.handles.get(file);
    if (open !== undefined) return open;
    if (Date.now() < (this.failed.get(file) ?? 0)) return undefined;
    try {
      const handle = this.open(file);
      this.handles.set(file, handle);
      this.failed.delete(file);
      return handle;
    } catch {
      this.fail(file);
      return undefined;
    }
  }

  /** Closes the file's connection; the leaf is asked instead for a while. */
  fail(file: string): void {
    this.closeOne(file);
    this.failed.set(file, Date.now() + RETRY_AFTER_FAILURE_MS);
  }

  close(): void {
    for (const file of [...this.handles.keys()]) this.closeOne(file);
    this.failed.clear();
  }

  private closeOne(file: string): void {
    const handle = this.handles.get(file);
    this.handles.delete(file);
    try {
      handle?.close();
    } catch {
      // Already closed.
    }
  }
}
