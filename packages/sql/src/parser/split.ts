/**
 * Splits a script into statement texts at top-level `;`, respecting quotes ('…', "…", `…`) and
 * comments (#, "-- ", /* *\/). It never throws: an unterminated quote or comment runs to the
 * end. Pieces with no code outside comments are dropped; executable comments (/*! … *\/)
 * count as code, as mysqldump output needs.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  const length = sql.length;
  let start = 0;
  let hasCode = false;
  let index = 0;
  const finish = (end: number): void => {
    if (hasCode) statements.push(sql.slice(start, end).trim());
    start = end + 1;
    hasCode = false;
  };
  while (index < length) {
    const code = sql.charCodeAt(index);
    if (code === 39 || code === 34 || code === 96) {
      index = skipQuoted(sql, index, code);
      hasCode = true;
    } else if (
      code === 35 ||
      (code === 45 &&
        sql.charCodeAt(index + 1) === 45 &&
        (index + 2 >= length || sql.charCodeAt(index + 2) <= 32))
    ) {
      const newline = sql.indexOf('\n', index);
      index = newline < 0 ? length : newline + 1;
    } else if (code === 47 && sql.charCodeAt(index + 1) === 42) {
      const executable =
        sql.charCodeAt(index + 2) === 33 ||
        (sql.charCodeAt(index + 2) === 77 && sql.charCodeAt(index + 3) === 33);
      if (executable) {
        // Executable comments hold code; their quotes and semicolons are scanned as usual.
        hasCode = true;
        index += 3;
      } else {
        const close = sql.indexOf('*/', index + 2);
        index = close < 0 ? length : close + 2;
      }
    } else if (code === 59) {
      finish(index);
      index++;
    } else {
      if (code > 32) hasCode = true;
      index++;
    }
  }
  finish(length);
  return statements;
}

function skipQuoted(sql: string, start: number, quote: number): number {
  let index = start + 1;
  while (index < sql.length) {
    const code = sql.charCodeAt(index);
    if (code === 92 && quote !== 96) {
      index += 2;
    } else if (code === quote) {
      if (sql.charCodeAt(index + 1) === quote) index += 2;
      else return index + 1;
    } else {
      index++;
    }
  }
  return sql.length;
}
