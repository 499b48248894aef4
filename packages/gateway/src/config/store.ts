import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock, FieldError, Logger } from '@exosphere/common';
import type { AppDiscovery } from '../discovery/app-discovery.js';
import { buildRuntime, retireUnused, type Runtime } from '../proxy/runtime.js';
import { formatConfigText, parseConfigText } from './text.js';
import { validateConfig } from './validate.js';
import type { GatewayConfig } from './schema.js';

export type ApplyResult =
  | { readonly ok: true; readonly applyMs: number; readonly changed: boolean }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Holds the running configuration. Applying one is all-or-nothing: validate the whole input,
 * build a new Runtime (route table, pools) beside the old one, then swap a single reference.
 * Requests that started on the old runtime finish on it; an invalid input changes nothing.
 */
export class ConfigStore {
  private current: Runtime;
  private lastFileDigest = '';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      readonly path: string;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly onApplied?: (result: ApplyResult, source: string) => void;
      /** Resolves `app` upstreams; without it they have no targets. */
      readonly discovery?: AppDiscovery;
      /**
       * After a PUT wrote the file, before it is acknowledged: the other workers of this
       * gateway re-read it (workers/worker-link.ts).
       */
      readonly afterWrite?: () => Promise<void>;
    },
  ) {
    const empty = validateConfig({});
    if (!empty.ok) throw new Error('invariant violated: the empty configuration is invalid');
    this.current = buildRuntime({
      config: empty.config,
      previous: undefined,
      clock: options.clock,
      logger: options.logger,
      discovery: options.discovery,
    });
  }

  get runtime(): Runtime {
    return this.current;
  }

  get config(): GatewayConfig {
    return this.current.config;
  }

  /** Validates and applies a parsed configuration. */
  apply(input: unknown, source: string): ApplyResult {
    const started = performance.now();
    const validated = validateConfig(input, {
      defaultMaster: this.options.discovery?.hasDefaultMaster ?? false,
    });
    if (!validated.ok) {
      const result = { ok: false as const, errors: validated.errors };
      this.options.onApplied?.(result, source);
      return result;
    }
    const previous = this.current;
    const next = buildRuntime({
      config: validated.config,
      previous,
      clock: this.options.clock,
      logger: this.options.logger,
      discovery: this.options.discovery,
    });
    this.current = next;
    retireUnused(previous, next);
    const result = { ok: true as const, applyMs: performance.now() - started, changed: true };
    this.options.onApplied?.(result, source);
    return result;
  }

  /** Reads the file and applies it when its content changed; a missing file keeps the current config. */
  reloadFile(): Promise<ApplyResult> {
    return this.serialize(async () => {
      let text: string;
      try {
        text = await readFile(this.options.path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return { ok: true, applyMs: 0, changed: false };
        return {
          ok: false,
          errors: [
            {
              path: '/',
              errors: [`cannot read ${this.options.path}: ${(error as Error).message}`],
            },
          ],
        };
      }
      const digest = createHash('sha256').update(text).digest('hex');
      if (digest === this.lastFileDigest) return { ok: true, applyMs: 0, changed: false };
      const parsed = await parseConfigText(text);
      const result: ApplyResult = parsed.ok
        ? this.apply(parsed.value, this.options.path)
        : { ok: false, errors: parsed.errors };
      if (!parsed.ok) this.options.onApplied?.(result, this.options.path);
      // Remember the digest even when invalid, so a bad file is reported once, not every poll.
      this.lastFileDigest = digest;
      return result;
    });
  }

  /** The admin API's PUT: apply, then write the file so both faces of the model agree. */
  replace(input: unknown): Promise<ApplyResult> {
    return this.serialize(async () => {
      const result = this.apply(input, 'admin API');
      if (!result.ok) return result;
      const text = await formatConfigText(input);
      await mkdir(dirname(this.options.path), { recursive: true });
      const temporary = `${this.options.path}.${process.pid}.tmp`;
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.options.path);
      this.lastFileDigest = createHash('sha256').update(text).digest('hex');
      await this.options.afterWrite?.();
      return result;
    });
  }

  close(): void {
    retireUnused(this.current, undefined);
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
