/** What a request target names: path, query and, for the absolute form, the authority. */
export interface RequestTarget {
  readonly path: string;
  /** `?…` as sent, or ''. */
  readonly query: string;
  /** host[:port] of an absolute-form target, as sent; undefined for the origin form. */
  readonly authority?: string;
}

/**
 * Splits a request target (RFC 9112 §3.2) into path and query. Origin form `/a?b` is the norm;
 * absolute form `http://h/a?b` is accepted as RFC 9112 §3.2.2 requires of servers, and its
 * authority returned: it replaces the Host field. Dot segments are removed (RFC 3986 §5.2.4)
 * so `/public/../admin` cannot slip past a prefix route; `%2e` counts as a dot (RFC 3986 §2.3:
 * an encoded unreserved character is the character). Only that changes: empty segments (`//`),
 * other escapes such as `%2F` and the query are kept as sent. Returns undefined for a target
 * that is not a path (asterisk form, garbage) or whose authority is not a plain host[:port].
 */
export function parseRequestTarget(target: string): RequestTarget | undefined {
  let rest = target;
  let authority: string | undefined;
  if (rest.charCodeAt(0) !== 47 /* "/" */) {
    if (!/^https?:\/\//i.test(rest)) return undefined;
    const start = rest.indexOf('//') + 2;
    let end = start;
    while (end < rest.length && rest[end] !== '/' && rest[end] !== '?') end++;
    authority = rest.slice(start, end);
    if (!validAuthority(authority)) return undefined;
    rest = end === rest.length ? '/' : rest[end] === '?' ? `/${rest.slice(end)}` : rest.slice(end);
  }
  const question = rest.indexOf('?');
  let path = question < 0 ? rest : rest.slice(0, question);
  const query = question < 0 ? '' : rest.slice(question);
  if (path.includes('/.') || path.includes('%2e') || path.includes('%2E'))
    path = removeDotSegments(path);
  return authority === undefined ? { path, query } : { path, query, authority };
}

/**
 * An authority the gateway routes by and may send as Host: a name or an IP literal, and an
 * optional port (RFC 3986 §3.2.2-3). User information (deprecated in http URIs, RFC 9110
 * §4.2.4) and an empty host are refused, as nginx does.
 */
function validAuthority(authority: string): boolean {
  const match = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::(\d{0,5}))?$/.exec(authority);
  return match !== null && (match[1] === undefined || match[1] === '' || Number(match[1]) < 65536);
}

/**
 * RFC 3986 §5.2.4 for an absolute path, segment by segment: "." goes, ".." takes the segment
 * before it, and a dot segment at the end leaves a trailing "/". A path read as a URL would
 * lose more: `//a/../b` would name the host `a`.
 */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const kept = [''];
  const last = segments.length - 1;
  for (let index = 1; index <= last; index++) {
    const segment = segments[index]!;
    const dots = dotCount(segment);
    if (dots === 0) kept.push(segment);
    else if (dots === 2 && kept.length > 1) kept.pop();
    if (dots !== 0 && index === last) kept.push('');
  }
  return kept.length === 1 ? '/' : kept.join('/');
}

/** 1 for ".", 2 for "..", either possibly written `%2e`; 0 for any other segment. */
function dotCount(segment: string): number {
  if (segment.length > 6 || (!segment.includes('.') && !/%2e/i.test(segment))) return 0;
  const decoded = segment.replace(/%2e/gi, '.');
  return decoded === '.' ? 1 : decoded === '..' ? 2 : 0;
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
