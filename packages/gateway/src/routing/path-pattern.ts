/**
 * Path patterns of a route, compiled once per configuration:
 * - `/health` is exact;
 * - `/api/*` is a prefix on segment boundaries: it matches `/api`, `/api/` and `/api/...` but
 *   not `/apis`;
 * - `/users/{id}` is a template: `{id}` takes one segment, a last `{rest*}` takes the rest.
 * Matching never compiles a regular expression per request.
 */
export type PathPattern =
  | { readonly kind: 'exact'; readonly path: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | {
      readonly kind: 'template';
      readonly segments: readonly TemplateSegment[];
      readonly literalCount: number;
    };

export type TemplateSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'parameter'; readonly name: string }
  | { readonly kind: 'rest'; readonly name: string };

export function compilePathPattern(pattern: string): PathPattern {
  if (pattern.endsWith('/*') || pattern === '*') {
    const prefix = pattern.slice(0, -2);
    if (!prefix.includes('{')) return { kind: 'prefix', prefix };
    return compileTemplate(prefix + '/{*}');
  }
  if (!pattern.includes('{')) return { kind: 'exact', path: pattern };
  return compileTemplate(pattern);
}

function compileTemplate(pattern: string): PathPattern {
  const segments: TemplateSegment[] = splitPath(pattern).map((segment) => {
    if (segment.startsWith('{') && segment.endsWith('*}'))
      return { kind: 'rest', name: segment.slice(1, -2) };
    if (segment.startsWith('{') && segment.endsWith('}'))
      return { kind: 'parameter', name: segment.slice(1, -1) };
    return { kind: 'literal', value: segment };
  });
  return {
    kind: 'template',
    segments,
    literalCount: segments.filter((s) => s.kind === 'literal').length,
  };
}

/** The parameter names a pattern or a rewrite template defines or uses, in order. */
export function templateParameters(pattern: string): string[] {
  const names: string[] = [];
  for (const match of pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\*?\}/g)) names.push(match[1]!);
  return names;
}

/** Non-empty segments; `/a//b/` → ['a', 'b']. */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  let start = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i === path.length || path.charCodeAt(i) === 47 /* "/" */) {
      if (i > start) segments.push(path.slice(start, i));
      start = i + 1;
    }
  }
  return segments;
}

/** Matches a template against path segments; the parameters, or undefined. */
export function matchTemplate(
  segments: readonly TemplateSegment[],
  pathSegments: readonly string[],
): Record<string, string> | undefined {
  let parameters: Record<string, string> | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'rest') {
      parameters ??= {};
      parameters[segment.name] = pathSegments.slice(i).join('/');
      return parameters;
    }
    const value = pathSegments[i];
    if (value === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.value !== value) return undefined;
    } else {
      parameters ??= {};
      parameters[segment.name] = value;
    }
  }
  return segments.length === pathSegments.length ? (parameters ?? {}) : undefined;
}
