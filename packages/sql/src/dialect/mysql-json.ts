/** MySQL's JSON text form and a few JSON functions in TypeScript, for SQLite's callbacks. */

/** MySQL prints JSON with ", " between items and ": " after keys. */
export function formatJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${formatJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function jsonText(text: string): string | null {
  const parsed = parse(text);
  return parsed.ok ? formatJson(parsed.value) : text;
}

export function jsonUnquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    const parsed = parse(text);
    if (parsed.ok && typeof parsed.value === 'string') return parsed.value;
  }
  return text;
}

/** Evaluates `$`, `.key`, `."key"` and `[n]` steps. */
function walk(value: unknown, path: string): unknown {
  const steps = /\.("(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*)|\[(\d+)\]/g;
  if (!path.startsWith('$')) return undefined;
  let current = value;
  let position = 1;
  for (let m = steps.exec(path); m !== null; m = steps.exec(path)) {
    if (m.index !== position) return undefined;
    position = m.index + m[0].length;
    if (m[2] !== undefined) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(m[2])];
    } else {
      const key = (m[1] ?? '').startsWith('"')
        ? (JSON.parse(m[1] ?? '""') as string)
        : (m[1] ?? '');
      if (current === null || typeof current !== 'object' || Array.isArray(current))
        return undefined;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return position === path.length ? current : undefined;
}

export function jsonLength(text: string, path: string): number | null {
  const parsed = parse(text);
  if (!parsed.ok) return null;
  const target = walk(parsed.value, path);
  if (target === undefined) return null;
  if (Array.isArray(target)) return target.length;
  if (target !== null && typeof target === 'object') return Object.keys(target).length;
  return 1;
}

export function jsonType(text: string): string | null {
  const parsed = parse(text);
  if (!parsed.ok) return null;
  const v = parsed.value;
  if (v === null) return 'NULL';
  if (Array.isArray(v)) return 'ARRAY';
  if (typeof v === 'object') return 'OBJECT';
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'boolean') return 'BOOLEAN';
  return Number.isInteger(v) && !/[.eE]/.test(text) ? 'INTEGER' : 'DOUBLE';
}

export function jsonKeys(text: string): string | null {
  const parsed = parse(text);
  if (
    !parsed.ok ||
    parsed.value === null ||
    typeof parsed.value !== 'object' ||
    Array.isArray(parsed.value)
  )
    return null;
  return formatJson(Object.keys(parsed.value));
}

function contains(target: unknown, candidate: unknown): boolean {
  if (Array.isArray(target)) {
    if (Array.isArray(candidate)) return candidate.every((c) => target.some((t) => contains(t, c)));
    return target.some((t) => contains(t, candidate));
  }
  if (target !== null && typeof target === 'object') {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate))
      return false;
    return Object.entries(candidate).every(
      ([k, v]) => k in target && contains((target as Record<string, unknown>)[k], v),
    );
  }
  return target === candidate;
}

export function jsonContains(text: string, candidateText: string, path: string): number | null {
  const document = parse(text);
  const candidate = parse(candidateText);
  if (!document.ok || !candidate.ok) return null;
  const target = walk(document.value, path);
  return target === undefined ? null : contains(target, candidate.value) ? 1 : 0;
}
