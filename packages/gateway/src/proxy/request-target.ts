/**
 * Splits a request target (RFC 9112 §3.2) into path and query. Origin form `/a?b` is the norm;
 * absolute form `http://h/a?b` is accepted as RFC 9112 §3.2.2 requires of servers. Dot segments
 * are removed (RFC 3986 §5.2.4) so `/public/../admin` cannot slip past a prefix route; the
 * WHATWG URL parser does that, and also decodes `%2e`, so it runs only when a dot is present.
 * Returns undefined for a target that is not a path (asterisk form, garbage).
 */
export function parseRequestTarget(target: string): { path: string; query: string } | undefined {
  let rest = target;
  if (rest.charCodeAt(0) !== 47 /* "/" */) {
    if (!/^https?:\/\//i.test(rest)) return undefined;
    const slash = rest.indexOf('/', rest.indexOf('//') + 2);
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  const question = rest.indexOf('?');
  let path = question < 0 ? rest : rest.slice(0, question);
  const query = question < 0 ? '' : rest.slice(question);
  if (path.includes('/.') || path.includes('%2e') || path.includes('%2E')) {
    try {
      path = new URL(path, 'http://gateway.invalid').pathname;
    } catch {
      return undefined;
    }
  }
  return { path, query };
}

/** The Host header's name, lower-case and without its port (RFC 9110 §7.2). */
export function hostName(host: string | undefined): string {
  if (!host) return '';
  if (host.charCodeAt(0) === 91 /* "[" */) {
    const end = host.indexOf(']');
    return (end < 0 ? host : host.slice(0, end + 1)).toLowerCase();
  }
  const colon = host.indexOf(':');
  return (colon < 0 ? host : host.slice(0, colon)).toLowerCase();
}
