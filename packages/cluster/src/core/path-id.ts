/**
 * Marathon path ids: "/prod/db/mysql". Segments are lower-case letters, digits, dashes and
 * dots (not starting or ending with a dash). Relative ids resolve against a base group.
 */
const segmentPattern =
  /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;

export function resolvePathId(id: string, base = '/'): string {
  const absolute = id.startsWith('/') ? id : `${base.replace(/\/+$/, '')}/${id}`;
  const segments: string[] = [];
  for (const segment of absolute.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return '/' + segments.join('/');
}

/**
 * Segments that name sub-resources in /v2/apps/{id}/...; an app id containing one could be
 * created but never addressed, so they are reserved.
 */
const reservedSegments = new Set(['tasks', 'versions', 'restart']);

/** Returns why `id` is not a valid path id, or undefined when it is. */
export function pathIdProblem(id: string): string | undefined {
  if (id.trim() === '' || id === '/') return 'must not be empty';
  const segments = id.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  for (const segment of segments) {
    if (reservedSegments.has(segment))
      return `segment '${segment}' is reserved (it names a sub-resource of apps)`;
    if (!segmentPattern.test(segment)) {
      return `segment '${segment}' must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit`;
    }
  }
  return undefined;
}

export function parentOf(id: string): string {
  const index = id.lastIndexOf('/');
  return index <= 0 ? '/' : id.slice(0, index);
}

/** Task ids: the app path with "/" → "_" (no leading), a dot, then a unique suffix (Marathon's form). */
export function taskIdFor(appId: string, unique: string): string {
  return `${appId.replace(/^\//, '').replace(/\//g, '_')}.${unique}`;
}
