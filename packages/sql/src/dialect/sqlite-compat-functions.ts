/**
 * The `exo_*` SQLite callbacks of `mysql-compat.ts`, `datetime-add.ts` and of `shared-functions.ts` (see
 * `sqlite-functions.ts`).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { soundex } from './mysql-compat.js';
import { sharedFunctions } from './shared-functions.js';
import { looseJson } from './json/print.js';
import { readDocument } from './json/scan.js';
import { addToDateTime } from './datetime-add.js';

type Value = null | number | bigint | string | Uint8Array;

function text(value: Value): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

/** Code-point position (1-based) of the first match of a pattern, 0 when none. */
function regexpInstr(subject: string, pattern: string): number | null {
  let expression: RegExp;
  try {
    expression = new RegExp(pattern, 'iu');
  } catch {
    return null;
  }
  const match = expression.exec(subject);
  return match === null ? 0 : [...subject.slice(0, match.index)].length + 1;
}

export function registerCompatFunctions(db: BetterSqlite3.Database): void {
  const fn = (name: string, impl: (...args: Value[]) => Value): void => {
    db.function(
      name,
      { deterministic: true, varargs: true },
      impl as (...args: unknown[]) => unknown,
    );
  };
  fn('exo_soundex', (s) => (s === null ? null : soundex(text(s) ?? '')));
  fn('exo_regexp_instr', (s, p) =>
    s === null || p === null ? null : regexpInstr(text(s) ?? '', text(p) ?? ''),
  );
  // JSON reprinted in MariaDB's loose form: CHECK clauses written by earlier versions call it.
  fn('exo_json_text', (s) => {
    if (s === null) return null;
    const read = readDocument(text(s) ?? '');
    return read.ok ? looseJson(read.value) : text(s);
  });
  fn('exo_datetime_add', (x, months, micros, digits) =>
    x === null || months === null || micros === null
      ? null
      : addToDateTime(text(x) ?? '', Number(months), Number(micros), Number(digits)),
  );
  // The functions DuckDB runs too (shared-functions.ts, duckdb-functions.ts).
  for (const shared of sharedFunctions) fn(shared.engine, (...args) => shared.run(args.map(text)));
  // A write's value check (dialect/functions/write-checks.ts). Not deterministic, so SQLite
  // never evaluates it ahead of the CASE branch that guards it.
  db.function('exo_raise', { deterministic: false }, (message: unknown) => {
    throw new Error(String(message));
  });
}
