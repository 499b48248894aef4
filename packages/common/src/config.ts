import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { CommonErrors, type FieldError } from './errors.js';

/**
 * Configuration from three sources, later ones winning: a JSON file, environment variables
 * (`PREFIX_` + the key in SCREAMING_SNAKE_CASE: `heartbeatIntervalMs` ← `EXO_HEARTBEAT_INTERVAL_MS`)
 * and command-line flags (`--heartbeat-interval-ms`). The merged object is validated once by a
 * strict zod schema; defaults are applied there and the result is frozen. Unknown keys in the
 * file or flags are rejected with the name of the closest known key.
 */
export interface ConfigSources {
  /** Path of a JSON file, if any. */
  file?: string | undefined;
  /** Environment (usually process.env). Unknown variables are ignored: they may be another component's. */
  env?: Record<string, string | undefined>;
  envPrefix?: string;
  /** Flags already parsed into camelCase keys. */
  flags?: Record<string, unknown>;
}

export function loadConfig<S extends z.ZodObject>(
  schema: S,
  sources: ConfigSources,
): Readonly<z.output<S>> {
  const keys = Object.keys(schema.shape);
  const merged: Record<string, unknown> = {};
  const errors: FieldError[] = [];

  if (sources.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(sources.file, 'utf8'));
    } catch (error) {
      throw CommonErrors.create(
        'EXO_CONFIG_INVALID',
        `cannot read config file ${sources.file}: ${(error as Error).message}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw CommonErrors.create(
        'EXO_CONFIG_INVALID',
        `config file ${sources.file} must hold a JSON object`,
      );
    }
    collectUnknown(parsed as Record<string, unknown>, keys, `file ${sources.file}`, errors);
    Object.assign(merged, parsed);
  }
  const prefix = sources.envPrefix ?? 'EXO_';
  for (const key of keys) {
    const value = sources.env?.[prefix + toScreamingSnake(key)];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  if (sources.flags) {
    const defined = Object.fromEntries(
      Object.entries(sources.flags).filter(([, v]) => v !== undefined),
    );
    collectUnknown(defined, keys, 'flags', errors);
    Object.assign(merged, defined);
  }
  if (errors.length) {
    throw CommonErrors.create(
      'EXO_CONFIG_INVALID',
      errors.map((e) => e.errors.join('; ')).join('; '),
      { details: errors },
    );
  }
  const result = schema.safeParse(merged);
  if (!result.success) {
    const details = zodDetails(result.error);
    throw CommonErrors.create(
      'EXO_CONFIG_INVALID',
      'invalid configuration: ' +
        details.map((d) => `${d.path}: ${d.errors.join(', ')}`).join('; '),
      { details },
    );
  }
  return Object.freeze(result.data);
}

function collectUnknown(
  object: Record<string, unknown>,
  keys: string[],
  source: string,
  errors: FieldError[],
): void {
  for (const key of Object.keys(object)) {
    if (keys.includes(key)) continue;
    const suggestion = closest(key, keys);
    errors.push({
      path: `/${key}`,
      errors: [
        `unknown key '${key}' in ${source}${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
      ],
    });
  }
}

/** Turns zod issues into field errors with JSON-pointer paths. */
export function zodDetails(error: z.ZodError): FieldError[] {
  const byPath = new Map<string, string[]>();
  for (const issue of error.issues) {
    const path = '/' + issue.path.map(String).join('/');
    const list = byPath.get(path) ?? [];
    list.push(issue.message);
    byPath.set(path, list);
  }
  return [...byPath].map(([path, errors]) => ({ path, errors }));
}

export function toScreamingSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function toKebab(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The candidate closest to `word` by edit distance (ignoring case), if within `distanceMax`
 * (by default a third of the word, at least 2): close enough to be a likely typo.
 */
export function closest(
  word: string,
  candidates: readonly string[],
  distanceMax = Math.max(2, Math.floor(word.length / 3)),
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= distanceMax ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
