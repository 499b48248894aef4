/** IF, IFNULL, NULLIF, COALESCE, GREATEST, LEAST, ISNULL (MySQL reference, "Flow Control Functions"). */
import { asCondition, asValue } from '../coerce.js';
import { compare, compareMode, prepareOperand } from '../compare.js';
import { unify } from '../case.js';
import { boolType, doubleType, isNull, isNumeric } from '../type-rules.js';
import { arg, define, type FunctionTable } from './handler.js';

export const controlFunctions: FunctionTable = {
  IF: define(3, 3, (context, args) => {
    const condition = asCondition(context, arg(args, 0));
    const { type, sql } = unify(context, [arg(args, 1), arg(args, 2)]);
    return {
      sql: `(CASE WHEN ${condition} THEN ${sql[0] ?? 'NULL'} ELSE ${sql[1] ?? 'NULL'} END)`,
      type,
    };
  }),
  IFNULL: define(2, 2, (context, args) => {
    const { type, sql } = unify(context, [arg(args, 0), arg(args, 1)]);
    return { sql: `coalesce(${sql.join(', ')})`, type };
  }),
  COALESCE: define(1, 1000, (context, args) => {
    const { type, sql } = unify(context, args);
    return { sql: `coalesce(${sql.join(', ')})`, type };
  }),
  NULLIF: define(2, 2, (context, args) => {
    const first = asValue(context, arg(args, 0));
    const equal = compare(context, '=', first, arg(args, 1));
    return {
      sql: `(CASE WHEN ${equal.sql} THEN NULL ELSE ${first.sql} END)`,
      type: { ...first.type, nullable: true },
    };
  }),
  ISNULL: define(1, 1, (context, args) => ({
    sql: `(${asValue(context, arg(args, 0)).sql} IS NULL)`,
    type: boolType,
    bool: true,
  })),
  GREATEST: extreme('greatest'),
  LEAST: extreme('least'),
};

/** GREATEST/LEAST are NULL when any argument is NULL (MySQL), unlike the engines' versions. */
function extreme(name: 'greatest' | 'least'): FunctionTable[string] {
  return define(2, 1000, (context, args) => {
    const unified = unify(context, args).type;
    // MySQL types a numeric GREATEST/LEAST with a NULL argument as DOUBLE.
    const mode = compareMode(args);
    // Numbers mixed with strings compare, and come back, as DOUBLE (MariaDB: GREATEST('a', 2) is 2).
    const type =
      (args.some((a) => isNull(a.type)) && isNumeric(unified)) || mode === 'number'
        ? { ...doubleType }
        : unified;
    const values = args.map((a) =>
      mode === 'string' ? asValue(context, a).sql : prepareOperand(context, a, mode, args[0]),
    );
    const anyNull = values.map((v) => `${v} IS NULL`).join(' OR ');
    if (mode === 'string' && context.dialect === 'duckdb') {
      // DuckDB's greatest/least ignore collations: fold with collated comparisons instead,
      // keeping the first of values equal under the case-insensitive collation (as MySQL).
      const op = name === 'greatest' ? '>=' : '<=';
      const fold = `list_reduce([${values.join(', ')}], (acc, x) -> CASE WHEN (acc COLLATE NOCASE) ${op} (x COLLATE NOCASE) THEN acc ELSE x END)`;
      return { sql: `(CASE WHEN ${anyNull} THEN NULL ELSE ${fold} END)`, type };
    }
    const fn = context.dialect === 'duckdb' ? name : name === 'greatest' ? 'max' : 'min';
    // Binary strings compare as their hex digits (compare.ts): the extreme is read back.
    if (mode === 'bytes')
      return {
        sql: `(CASE WHEN ${anyNull} THEN NULL ELSE unhex(${fn}(${values.join(', ')})) END)`,
        type,
      };
    const inner = mode === 'string' ? values.map((v) => `${v} COLLATE NOCASE`) : values;
    return { sql: `(CASE WHEN ${anyNull} THEN NULL ELSE ${fn}(${inner.join(', ')}) END)`, type };
  });
}
