import type { RouteMatch } from './route-table.js';

export type Rewrite =
  | { readonly kind: 'strip-prefix' }
  | {
      readonly kind: 'template';
      readonly parts: ReadonlyArray<{ literal: string } | { parameter: string }>;
    };

export function compileRewrite(rewrite: { stripPrefix: true } | { path: string }): Rewrite {
  if ('stripPrefix' in rewrite) return { kind: 'strip-prefix' };
  const parts: Array<{ literal: string } | { parameter: string }> = [];
  let last = 0;
  for (const match of rewrite.path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\*?\}/g)) {
    if (match.index > last) parts.push({ literal: rewrite.path.slice(last, match.index) });
    parts.push({ parameter: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < rewrite.path.length) parts.push({ literal: rewrite.path.slice(last) });
  return { kind: 'template', parts };
}

/** The upstream path for a matched request path (without its query). */
export function applyRewrite(
  rewrite: Rewrite | undefined,
  path: string,
  match: RouteMatch<unknown>,
): string {
  if (!rewrite) return path;
  if (rewrite.kind === 'strip-prefix') {
    const rest = match.prefix === undefined ? path : path.slice(match.prefix.length);
    return rest.startsWith('/') ? rest : '/' + rest;
  }
  let result = '';
  for (const part of rewrite.parts)
    result += 'literal' in part ? part.literal : (match.parameters?.[part.parameter] ?? '');
  return result;
}
