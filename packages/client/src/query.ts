/** Query parameters: arrays repeat the key (Marathon's `embed=a&embed=b`); undefined is left out. */
export type QueryValues = Readonly<
  Record<string, string | number | boolean | readonly string[] | undefined>
>;

export function buildUrl(base: string, path: string, query: QueryValues = {}): string {
  const url = new URL(path, base.endsWith('/') ? base : base + '/');
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? (value as readonly string[]) : [String(value)]) {
      url.searchParams.append(key, item);
    }
  }
  return url.toString();
}

/**
 * The URL path of a Marathon path id ("/prod/web" → "prod/web"), each segment escaped, so
 * nested ids route to the app and not to a sub-resource by accident.
 */
export function idPath(id: string): string {
  return id
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}
