// The result checker: compares a target's answer for a query with a reference answer (DuckDB's)
// and says exactly where they differ. It is the correctness oracle for other engines, so it is
// strict: same column names (case-insensitive), same row count, same values. The only allowances:
// - rows of a query without ORDER BY, and rows whose ORDER BY keys are equal, may come in any order;
// - numbers are equal within 1e-6 relative, or when they agree to the last digit (±1) of the
//   shorter decimal text (MySQL gives AVG and division a fixed number of decimal places where
//   DuckDB gives a double);
// - dates and timestamps at midnight compare as 'YYYY-MM-DD'; integers and decimals compare by value.
import type { Cell, ResultSet } from './result.js';

const problemsMax = 10;
const decimalText = /^-?\d+(\.\d+)?$/;
const midnight = /^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$/;

type Normal =
  | { kind: 'null' }
  | { kind: 'number'; value: number; places?: number }
  | { kind: 'text'; value: string };

function normalize(cell: Cell): Normal {
  if (cell === null) return { kind: 'null' };
  if (typeof cell === 'number') return { kind: 'number', value: cell };
  if (typeof cell === 'bigint') return { kind: 'number', value: Number(cell), places: 0 };
  if (typeof cell === 'boolean') return { kind: 'number', value: cell ? 1 : 0, places: 0 };
  if (decimalText.test(cell)) {
    const point = cell.indexOf('.');
    return { kind: 'number', value: Number(cell), places: point < 0 ? 0 : cell.length - point - 1 };
  }
  const date = midnight.exec(cell);
  return { kind: 'text', value: date ? (date[1] as string) : cell };
}

function cellsEqual(left: Normal, right: Normal): boolean {
  if (left.kind === 'null' || right.kind === 'null') return left.kind === right.kind;
  if (left.kind === 'text' || right.kind === 'text')
    return left.kind === right.kind && left.value === right.value;
  if (left.value === right.value) return true;
  const difference = Math.abs(left.value - right.value);
  if (difference <= 1e-6 * Math.max(Math.abs(left.value), Math.abs(right.value))) return true;
  const places = Math.min(left.places ?? Infinity, right.places ?? Infinity);
  return Number.isFinite(places) && difference <= 10 ** -places * (1 + 1e-9);
}

function show(cell: Cell | undefined): string {
  return cell === null ? 'NULL' : typeof cell === 'string' ? JSON.stringify(cell) : String(cell);
}

function rowsEqual(left: readonly Normal[], right: readonly Normal[]): boolean {
  return (
    left.length === right.length &&
    left.every((cell, index) => cellsEqual(cell, right[index] as Normal))
  );
}

/** Differences between `actual` and `expected` for a query; an empty list means they agree. */
export function compareResults(
  expected: ResultSet,
  actual: ResultSet,
  orderBy: readonly number[],
): string[] {
  const problems: string[] = [];
  const names = (result: ResultSet): string =>
    result.columns.map((name) => name.toLowerCase()).join(', ');
  if (names(expected) !== names(actual))
    return [`columns differ: expected (${names(expected)}), got (${names(actual)})`];
  if (expected.rows.length !== actual.rows.length)
    problems.push(`row count differs: expected ${expected.rows.length}, got ${actual.rows.length}`);
  const left = expected.rows.map((row) => row.map(normalize));
  const right = actual.rows.map((row) => row.map(normalize));
  const count = Math.min(left.length, right.length);
  // Runs of rows whose ORDER BY keys are equal in the expected answer; without ORDER BY, one run.
  let start = 0;
  while (start < count && problems.length < problemsMax) {
    let end = start + 1;
    if (orderBy.length === 0) end = count;
    else
      while (
        end < count &&
        orderBy.every((column) => cellsEqual(left[start]![column]!, left[end]![column]!))
      )
        end += 1;
    const unmatched = right
      .slice(start, end)
      .map((row, offset) => ({ row, index: start + offset }));
    for (let index = start; index < end && problems.length < problemsMax; index += 1) {
      const found = unmatched.findIndex((candidate) => rowsEqual(left[index]!, candidate.row));
      if (found >= 0) {
        unmatched.splice(found, 1);
        continue;
      }
      // Name the first differing column against the row at the same position, the likeliest twin.
      const twin = right[index]!;
      const column = left[index]!.findIndex((cell, position) => !cellsEqual(cell, twin[position]!));
      problems.push(
        column < 0
          ? `row ${index + 1}: expected row found out of order`
          : `row ${index + 1} column ${expected.columns[column]}: expected ${show(expected.rows[index]![column])}, got ${show(actual.rows[index]![column])}`,
      );
    }
    start = end;
  }
  if (problems.length >= problemsMax) problems.push('(further differences not listed)');
  return problems;
}
