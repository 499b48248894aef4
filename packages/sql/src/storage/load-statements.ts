/**
 * The engine statements of a bulk load chunk (`LoadRequest`): an INSERT ... SELECT over DuckDB's
 * read_csv of the chunk's file, keeping the lines whose fields pass the aggregator's `accept`
 * predicate, and the query returning the raw fields of the others. Every field is read as
 * VARCHAR (casts and checks are the aggregator's expressions), `\N` is NULL, quotes and escapes
 * are off (the aggregator sends only lines without them), missing fields are NULL and extra
 * fields are ignored, as in the aggregator's own parser. With a line shape
 * (aggregator/load-shapes.ts), also the query telling whether every line has it and the insert
 * reading such a file with typed columns and no checks.
 */
import { sqlError } from '../errors.js';
import type { LoadRequest } from '../leaf/api.js';
import { quoteIdentifier } from './names.js';

export interface LoadStatements {
  readonly insert: string;
  readonly rejected: string;
  /**
   * With a shape: whether every line of the file (the one parameter) matches it, one row with
   * one boolean. The text is the same for every chunk of a load, so its plan is kept.
   */
  readonly shapeCheck: string | undefined;
  /** With a shape: the insert reading typed fields, for a file whose lines all match. */
  readonly typedInsert: string | undefined;
}

/** Types a shape may read a field as (anything else is refused). */
const SHAPE_TYPE =
  /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|DECIMAL\([0-9]{1,2},[0-9]{1,2}\)|DATE|VARCHAR)$/;

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function loadStatements(request: LoadRequest, file: string): LoadStatements {
  const delimiter = request.delimiter;
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code >= 0x80 || code === 0x0a || code === 0x0d || code === 0x5c)
    throw sqlError('WRONG_ARGUMENTS', 'A bulk load needs a one-byte ASCII field delimiter');
  if (request.columns.length !== request.values.length || request.columns.length === 0)
    throw sqlError('WRONG_VALUE_COUNT', "Column count doesn't match value count at row 1");
  const fields = Array.from({ length: request.fieldCount }, (_, index) => `c${index}`);
  const source = (types: readonly string[]): string =>
    `read_csv(${literal(file)}, columns = {${fields.map((field, index) => `'${field}': '${types[index] ?? 'VARCHAR'}'`).join(', ')}}, ` +
    `delim = ${literal(delimiter)}, quote = '', escape = '', nullstr = '\\N', header = false, ` +
    `auto_detect = false, null_padding = true, strict_mode = false)`;
  const text = source([]);
  const columns = request.columns.map(quoteIdentifier).join(', ');
  const accept = `coalesce(${request.accept}, false)`;
  const into = `INSERT INTO ${quoteIdentifier(request.table)} (${columns}) SELECT ${request.values.join(', ')} FROM`;
  const shape = request.shape;
  if (shape !== undefined) {
    if (
      shape.types.length !== request.fieldCount ||
      !shape.types.every((type) => SHAPE_TYPE.test(type))
    )
      throw sqlError('WRONG_ARGUMENTS', 'A bulk load shape needs one supported type per field');
  }
  return {
    insert: `${into} ${text} WHERE ${accept}`,
    rejected: `SELECT ${fields.join(', ')} FROM ${text} WHERE NOT ${accept}`,
    // read_text needs UTF-8, which the aggregator checked; the lines end with `\n`. An empty
    // line (which the aggregator never sends) would be skipped by the typed reader: no match.
    shapeCheck:
      shape === undefined
        ? undefined
        : `SELECT regexp_full_match(content, ${literal(`(?:(?:${shape.pattern})\\n)*`)}) ` +
          `AND NOT starts_with(content, chr(10)) AND NOT contains(content, chr(10) || chr(10)) ` +
          `FROM read_text(?)`,
    // The same values from typed fields: the casts in `values` do nothing on them.
    typedInsert: shape === undefined ? undefined : `${into} ${source(shape.types)}`,
  };
}
