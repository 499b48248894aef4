/**
 * Origins as browsers send them (RFC 6454 §6.2): `scheme "://" host [ ":" port ]`, where the
 * port is omitted when it is the scheme's default. Patterns are exact origins, `*`, or a
 * wildcard over subdomains such as `https://*.example.com` (one or more labels, never the bare
 * domain itself: `https://example.com` must be listed on its own).
 */
const originPattern =
  /^(https?):\/\/((?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;
const defaultPorts: Record<string, string> = { http: '80', https: '443' };

export interface OriginMatcher {
  matches(origin: string): boolean;
  /** Whether every origin matches (`*`). */
  readonly any: boolean;
}

/** Parses `scheme://host[:port]` into its normalized form, or undefined if it is not one. */
function normalizeOrigin(text: string): { scheme: string; host: string; port: string } | undefined {
  const match = originPattern.exec(text.toLowerCase());
  if (match === null) return undefined;
  const scheme = match[1] ?? '';
  const port = match[3] ?? defaultPorts[scheme] ?? '';
  if (Number(port) > 65535) return undefined;
  return { scheme, host: match[2] ?? '', port };
}

export function isOriginPattern(text: string): boolean {
  return text === '*' || normalizeOrigin(text) !== undefined;
}

export function compileOrigins(patterns: readonly string[]): OriginMatcher {
  if (patterns.includes('*')) return { any: true, matches: () => true };
  const exact = new Set<string>();
  const wildcards: Array<{ scheme: string; suffix: string; port: string }> = [];
  for (const pattern of patterns) {
    const parsed = normalizeOrigin(pattern);
    if (parsed === undefined) continue;
    if (parsed.host.startsWith('*.')) {
      wildcards.push({ scheme: parsed.scheme, suffix: parsed.host.slice(1), port: parsed.port });
    } else {
      exact.add(`${parsed.scheme}://${parsed.host}:${parsed.port}`);
    }
  }
  return {
    any: false,
    matches(origin) {
      // `null` (opaque origins: sandboxed frames, file: URLs) never matches a pattern.
      const parsed = normalizeOrigin(origin);
      if (parsed === undefined || parsed.host.includes('*')) return false;
      if (exact.has(`${parsed.scheme}://${parsed.host}:${parsed.port}`)) return true;
      return wildcards.some(
        (wildcard) =>
          wildcard.scheme === parsed.scheme &&
          wildcard.port === parsed.port &&
          parsed.host.endsWith(wildcard.suffix) &&
          parsed.host.length > wildcard.suffix.length,
      );
    },
  };
}
