import { CommonErrors } from '@exosphere/common';

/** Marathon-style boolean query flags: `?force=true`, `?force` and `?force=1` mean true. */
export function flag(query: URLSearchParams, name: string, fallback = false): boolean {
  if (!query.has(name)) return fallback;
  const value = (query.get(name) ?? '').toLowerCase();
  if (value === '' || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw CommonErrors.create(
    'EXO_BAD_REQUEST',
    `query parameter '${name}' must be true or false, got '${value}'`,
  );
}

/** Every `embed` value, also accepting comma-separated lists. */
export function embeds(query: URLSearchParams): Set<string> {
  return new Set(
    query
      .getAll('embed')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean),
  );
}

/**
 * `scale` of a task kill. Giving `wipe` too is a 400, as Marathon's kill endpoints answer (a
 * wiped instance is expunged, so it cannot also scale the app down); `wipe` alone changes
 * nothing here, since a killed task leaves no reservation behind.
 */
export function killScale(query: URLSearchParams): boolean {
  const scale = flag(query, 'scale');
  if (scale && flag(query, 'wipe'))
    throw CommonErrors.create('EXO_BAD_REQUEST', 'You cannot use scale and wipe at the same time.');
  return scale;
}
