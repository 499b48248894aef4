/**
 * The engine statements of a bulk load chunk (`LoadRequest`): an INSERT ... SELECT over DuckDB's
 * read_csv of the chunk's file, keeping the lines whose fields pass the aggregator's `accept`
 * predicate, and the query returning the raw fields of the others. Every field is read as
 * VARCHAR (casts and checks are the aggregator's expressions), `\N` is NULL, quotes and escapes
 * are off (the aggregator sends only lines without them), missing fields are NULL and extra
 * fields are ignored, as in the aggregator's own parser. For a chunk whose every line has its
 * columns' canonical shape (aggregator/load-shapes.ts), also the insert reading it with typed
 * columns and no checks.
 */
import { sqlError } from '../errors.js';
import type { LoadRequest } from '../leaf/api.js';
import { quoteIdentifier } from './names.js';

export interface LoadStatements {
  readonly insert: string;
  readonly rejected: string;
  /** For a typed chunk: the insert reading typed fields, without the checks. */
  readonly typedInsert: string | undefined;
}

/** Types a typed chunk may read a field as (anything else is refused). */
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
  const typed = request.typed;
  if (
    typed !== undefined &&
    (typed.length !== request.fieldCount || !typed.every((type) => SHAPE_TYPE.test(type)))
  )
    throw sqlError('WRONG_ARGUMENTS', 'A typed bulk load needs one supported type per field');
  return {
    insert: `${into} ${text} WHERE ${accept}`,
    rejected: `SELECT ${fields.join(', ')} FROM ${text} WHERE NOT ${accept}`,
    // The same values from typed fields: the casts in `values` do nothing on them.
    typedInsert: typed === undefined ? undefined : `${into} ${source(typed)}`,
  };
}
