/** Test helpers: trees compared without source positions. */
import type { Statement } from '../../src/parser/index.js';

/**
 * A plain copy of `value` without `pos` fields and select items' source `text` (bigints become
 * tagged strings).
 */
export function withoutPositions(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) => {
      if (key === 'pos' || key === 'text') return undefined;
      return typeof inner === 'bigint' ? `${inner}n` : inner;
    }),
  );
}

export function statementTree(statement: Statement): unknown {
  return withoutPositions(statement);
}
