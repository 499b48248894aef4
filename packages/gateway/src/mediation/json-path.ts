/**
 * A small JSONPath subset for addressing one value: `$`, `.name`, `['name']` or `["name"]`,
 * and `[index]` (from 0). Enough to route on or merge at a field; no filters or wildcards.
 */
export type JsonPath = readonly (string | number)[];

const segmentPattern =
  /^(?:\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d{1,9})\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;

export type JsonPathParse = { ok: true; path: JsonPath } | { ok: false; error: string };

export function parseJsonPath(text: string): JsonPathParse {
  if (!text.startsWith('$')) return { ok: false, error: 'a JSON path starts with "$"' };
  const path: (string | number)[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const match = segmentPattern.exec(rest);
    if (!match)
      return {
        ok: false,
        error: `unexpected "${rest.slice(0, 16)}" in the JSON path; use .name, ['name'] or [index]`,
      };
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(Number(match[2]));
    else path.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(match[0].length);
    if (path.length > 64) return { ok: false, error: 'a JSON path has at most 64 segments' };
  }
  return { ok: true, path };
}

/** The value at `path`, or undefined. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/**
 * Merges `value` into `root` at `path` and returns the new root: objects met on both sides are
 * merged (the value's keys win), anything else is replaced; missing objects on the way are
 * created. Throws when the way goes through a non-object.
 */
export function mergeAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return mergeValues(root, value);
  const base = root === undefined || root === null ? {} : root;
  let current = base as Record<string | number, unknown>;
  if (typeof current !== 'object') throw new Error('the body is not an object or array');
  for (let index = 0; index < path.length - 1; index++) {
    const segment = path[index]!;
    let next = current[segment];
    if (next === undefined || next === null) {
      next = {};
      current[segment] = next;
    }
    if (typeof next !== 'object')
      throw new Error(`the value at segment ${String(segment)} is not an object`);
    current = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  current[last] = mergeValues(current[last], value);
  return base;
}

function mergeValues(existing: unknown, value: unknown): unknown {
  if (isPlainObject(existing) && isPlainObject(value)) return Object.assign(existing, value);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a scalar JSON value (string, number, boolean); undefined for anything else. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
