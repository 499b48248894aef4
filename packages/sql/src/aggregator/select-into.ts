/**
 * `SELECT … INTO @a, @b`: the query runs as usual and its one row is assigned to the user
 * variables, as MariaDB does — no row leaves them as they were with warning 1329, several rows
 * assign the first and fail with 1172, a column count other than the variables' is 1222. The
 * client gets an OK with one affected row (none when no row was found). INTO OUTFILE and
 * DUMPFILE are refused (1290).
 */
import type { SelectStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { withImplicitOrder } from './compat-key-order.js';
import { checkFullGroupBy } from './full-group-by.js';
import { ok } from './results.js';
import { serverFilesRefused } from './server-files.js';
import { executeQuery } from './select.js';
import { expandViews } from './view-expand.js';

export async function selectIntoVariables(
  context: StatementContext,
  statement: SelectStatement,
): Promise<ResultOk> {
  const { into, ...query } = statement;
  // The server writes no files of its own (server-files.ts).
  if (into?.kind !== 'variables') throw serverFilesRefused();
  checkFullGroupBy(context, query);
  // `… LIMIT 1` assigns the row MariaDB would answer first (compat-key-order.ts).
  const ordered = withImplicitOrder(context, query);
  const result = await executeQuery(context, expandViews(context, ordered));
  if (result.columns.length !== into.variables.length)
    throw sqlError(
      'WRONG_NUMBER_OF_COLUMNS_IN_SELECT',
      'The used SELECT statements have a different number of columns',
    );
  const [first] = result.rows;
  if (first === undefined) {
    const message = 'No data - zero rows fetched, selected, or processed';
    context.session.warnings = [{ level: 'Warning', code: 1329, message }];
    return ok(0, { warnings: 1 });
  }
  into.variables.forEach((variable, index) => {
    context.session.userVariables.set(variable.name.toLowerCase(), first[index] ?? null);
  });
  if (result.rows.length > 1)
    throw sqlError('TOO_MANY_ROWS', 'Result consisted of more than one row');
  return ok(1);
}
