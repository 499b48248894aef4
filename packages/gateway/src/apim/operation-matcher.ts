import { splitPath } from '../routing/path-pattern.js';
import type { ApiOperation } from './model.js';

interface CompiledOperation {
  readonly operation: ApiOperation;
  /** Literal segments, or undefined for a segment with a {parameter}. */
  readonly segments: readonly (string | undefined)[];
  readonly literalCount: number;
}

export type OperationMatch =
  | { readonly kind: 'found'; readonly operation: ApiOperation }
  | { readonly kind: 'no-path' }
  | { readonly kind: 'no-method'; readonly allow: readonly string[] };

/**
 * Finds an API's operation for a method and a path relative to the API's base path. A path
 * template segment with a {parameter} anywhere in it (`{id}`, `{name}.{ext}`) matches any one
 * segment; templates with more literal segments win (OpenAPI 3.1 §4.8.8.2: concrete paths are
 * matched before templated ones). Compiled once per catalog change.
 */
export class OperationMatcher {
  private readonly compiled: CompiledOperation[];

  constructor(operations: readonly ApiOperation[]) {
    this.compiled = operations
      .map((operation) => {
        const segments = splitPath(operation.path).map((segment) =>
          segment.includes('{') ? undefined : segment,
        );
        return {
          operation,
          segments,
          literalCount: segments.filter((segment) => segment !== undefined).length,
        };
      })
      .sort((a, b) => b.literalCount - a.literalCount);
  }

  get empty(): boolean {
    return this.compiled.length === 0;
  }

  match(method: string, relativePath: string): OperationMatch {
    const segments = splitPath(relativePath);
    const allow: string[] = [];
    for (const entry of this.compiled) {
      if (!sameShape(entry.segments, segments)) continue;
      const operationMethod = entry.operation.method;
      if (operationMethod === method || (method === 'HEAD' && operationMethod === 'GET'))
        return { kind: 'found', operation: entry.operation };
      if (!allow.includes(operationMethod)) allow.push(operationMethod);
    }
    return allow.length > 0 ? { kind: 'no-method', allow } : { kind: 'no-path' };
  }
}

function sameShape(template: readonly (string | undefined)[], path: readonly string[]): boolean {
  if (template.length !== path.length) return false;
  for (let index = 0; index < template.length; index++) {
    const literal = template[index];
    if (literal !== undefined && literal !== path[index]) return false;
  }
  return true;
}
