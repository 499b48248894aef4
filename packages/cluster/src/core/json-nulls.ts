/**
 * Marathon reads every optional field of an app, a group or their nested objects (health
 * checks, port definitions, strategies, fetch entries) with play-json's `validateOpt`, which
 * takes `null` as "not given": the field gets its default, or in an update keeps its value.
 * Exported definitions carry such nulls (`"args": null`, `"user": null`, `"command": null`).
 *
 * Map-valued fields are data, not optional fields: a null env or label value stays and is
 * refused by validation, as Marathon refuses it.
 */
const mapFields = new Set(['env', 'labels', 'secrets']);

/** A copy of `value` without object properties that are null (maps' entries are kept). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue;
    copy[key] = mapFields.has(key) ? field : withoutNulls(field);
  }
  return copy;
}
