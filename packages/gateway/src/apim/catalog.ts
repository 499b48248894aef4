import type { Clock } from '@exosphere/common';
import { CatalogIndex } from './catalog-index.js';
import { readFileIfPresent, writeFileDurably } from './durable-file.js';
import { catalogSchema, emptyCatalog, type CatalogData } from './model.js';

/**
 * The API-management catalog: APIs, applications and subscriptions, held in memory and stored
 * as one JSON document under the gateway home. A change is applied to a copy, written durably
 * (see durable-file.ts), and only then becomes the current state and is acknowledged; a change
 * that throws (a user error) leaves both memory and disk as they were. Changes are serialized,
 * so two admin calls never interleave their read-modify-write.
 */
export class Catalog {
  private current: CatalogData;
  private currentIndex: CatalogIndex;
  private changes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  /**
   * After a change is durable and current, before it is acknowledged: the other workers of
   * this gateway re-read the file (workers/worker-link.ts).
   */
  afterCommit: (() => Promise<void>) | undefined = undefined;

  private constructor(
    private readonly path: string,
    private readonly clock: Clock,
    data: CatalogData,
  ) {
    this.current = data;
    this.currentIndex = new CatalogIndex(data);
  }

  /** Loads the catalog file; a missing file is an empty catalog, a damaged one an error. */
  static async open(options: { path: string; clock: Clock }): Promise<Catalog> {
    return new Catalog(options.path, options.clock, await readCatalog(options.path));
  }

  /** Re-reads the file another worker of this gateway changed, and makes it current. */
  reload(): Promise<void> {
    const work = async (): Promise<void> => {
      const data = await readCatalog(this.path);
      this.current = data;
      this.currentIndex = new CatalogIndex(data);
      this.changes++;
      for (const listener of this.listeners) listener();
    };
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get data(): CatalogData {
    return this.current;
  }

  get index(): CatalogIndex {
    return this.currentIndex;
  }

  /** Increases with every committed change. */
  get version(): number {
    return this.changes;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies `change` to a copy, stores it durably, then makes it current. */
  commit<T>(change: (draft: CatalogData, now: string) => T): Promise<T> {
    const work = async (): Promise<T> => {
      const draft = structuredClone(this.current);
      const result = change(draft, new Date(this.clock.now()).toISOString());
      await writeFileDurably(this.path, JSON.stringify(draft), { mode: 0o600 });
      this.current = draft;
      this.currentIndex = new CatalogIndex(draft);
      this.changes++;
      for (const listener of this.listeners) listener();
      await this.afterCommit?.();
      return result;
    };
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The catalog file; a missing file is an empty catalog, a damaged one an error. */
async function readCatalog(path: string): Promise<CatalogData> {
  const text = await readFileIfPresent(path);
  if (text === undefined) return emptyCatalog();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the API catalog ${path} is not JSON: ${(error as Error).message}`);
  }
  const result = catalogSchema.safeParse(parsed);
  if (!result.success)
    throw new Error(
      `the API catalog ${path} is damaged: ${result.error.issues
        .slice(0, 5)
        .map((issue) => `/${issue.path.join('/')}: ${issue.message}`)
        .join('; ')}`,
    );
  return result.data;
}
