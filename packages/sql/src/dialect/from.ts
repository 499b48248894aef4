/** The FROM clause: tables, derived tables, CTE references and joins, and the scope they make. */
import { zeroDateNullTests } from './zero-date-is-null.js';
import type { TableRef } from '../parser/ast-query.js';
import { sqlError } from '../errors.js';
import type { ColumnMeta } from '../values.js';
import {
  childContext,
  notSupported,
  quoteIdentifier,
  type Context,
  type ScopeTable,
} from './context.js';
import { translateCondition } from './expr.js';
import { requireDistinctNames } from './names.js';
import { translateQueryIn } from './query.js';

export interface FromResult {
  readonly sql: string;
  readonly tables: ScopeTable[];
}

const joinKeywords = {
  inner: 'JOIN',
  left: 'LEFT JOIN',
  right: 'RIGHT JOIN',
  cross: 'CROSS JOIN',
  straight: 'JOIN',
} as const;

export function translateFrom(context: Context, refs: readonly TableRef[]): FromResult {
  const parts = refs.map((ref) => translateRef(context, ref));
  const tables = parts.flatMap((p) => p.tables);
  // `FROM t JOIN t`: each table of one FROM needs its own name (MySQL's 1066).
  const names = new Set<string>();
  for (const table of tables) {
    const name = table.name.toLowerCase();
    if (names.has(name)) throw sqlError('NONUNIQ_TABLE', `Not unique table/alias: '${table.name}'`);
    names.add(name);
  }
  return { sql: parts.map((p) => p.sql).join(', '), tables };
}

function translateRef(context: Context, ref: TableRef): FromResult {
  switch (ref.kind) {
    case 'table': {
      const alias = ref.alias ?? ref.name;
      const cte = ref.database === undefined ? context.ctes.get(ref.name.toLowerCase()) : undefined;
      if (cte !== undefined) {
        return {
          sql: `${quoteIdentifier(ref.name)} AS ${quoteIdentifier(alias)}`,
          tables: [{ name: alias, columns: cte, derived: true }],
        };
      }
      const database = ref.database ?? context.options.database;
      const table = context.options.resolve.resolveTable(database, ref.name);
      if (table === undefined)
        throw sqlError(
          'NO_SUCH_TABLE',
          `Table '${database ?? ''}${database === undefined ? '' : '.'}${ref.name}' doesn't exist`,
        );
      return {
        sql: `${table.engineSql ?? quoteIdentifier(table.engineName)} AS ${quoteIdentifier(alias)}`,
        tables: [
          {
            name: alias,
            columns: table.columns,
            ...(table.transparent === true ? { transparent: true } : {}),
          },
        ],
      };
    }
    case 'derived': {
      if (ref.lateral === true) return notSupported('LATERAL derived tables');
      const inner = translateQueryIn(context, ref.query);
      let sql = inner.sql;
      let columns: ColumnMeta[] = inner.columns;
      if (ref.columnAliases !== undefined) {
        const renamed = ref.columnAliases;
        const select = inner.columns.map(
          (c, i) => `${quoteIdentifier(c.name)} AS ${quoteIdentifier(renamed[i] ?? c.name)}`,
        );
        sql = `SELECT ${select.join(', ')} FROM (${sql}) AS "exo_derived"`;
        columns = inner.columns.map((c, i) => ({ ...c, name: renamed[i] ?? c.name }));
      }
      requireDistinctNames(columns);
      return {
        sql: `(${sql}) AS ${quoteIdentifier(ref.alias)}`,
        tables: [{ name: ref.alias, columns, derived: true }],
      };
    }
    case 'join': {
      const left = translateRef(context, ref.left);
      const right = translateRef(context, ref.right);
      const tables = [...left.tables, ...right.tables];
      let using = ref.using;
      if (ref.natural === true) {
        const leftNames = new Set(
          left.tables.flatMap((t) => t.columns.map((c) => c.name.toLowerCase())),
        );
        using = right.tables
          .flatMap((t) => t.columns.map((c) => c.name))
          .filter((n) => leftNames.has(n.toLowerCase()));
      }
      const keyword = joinKeywords[ref.type];
      if (using !== undefined && using.length > 0) {
        const hidden = new Set(using.map((u) => u.toLowerCase()));
        const hiddenSide = ref.type === 'right' ? left.tables : right.tables;
        const merged = tables.map((t) => (hiddenSide.includes(t) ? { ...t, hidden } : t));
        const scope = { tables: merged, parent: context.scope };
        const leftName = left.tables[left.tables.length - 1]?.name ?? '';
        const rightName = right.tables[0]?.name ?? '';
        const on = using.map(
          (u) =>
            `${quoteIdentifier(leftName)}.${quoteIdentifier(u)} = ${quoteIdentifier(rightName)}.${quoteIdentifier(u)}`,
        );
        void scope;
        return {
          sql: `${left.sql} ${keyword === 'CROSS JOIN' ? 'JOIN' : keyword} ${right.sql} ON ${on.join(' AND ')}`,
          tables: outerNullable(ref.type, left.tables.length, merged),
        };
      }
      if (ref.on === undefined) {
        const cross =
          ref.type === 'left' || ref.type === 'right'
            ? `${keyword} ${right.sql} ON TRUE`
            : `CROSS JOIN ${right.sql}`;
        return {
          sql: `${left.sql} ${cross}`,
          tables: outerNullable(ref.type, left.tables.length, tables),
        };
      }
      const onContext = childContext(context, { tables, parent: context.scope });
      const on = translateCondition(onContext, zeroDateNullTests(onContext, ref.on));
      return {
        sql: `${left.sql} ${keyword === 'CROSS JOIN' ? 'JOIN' : keyword} ${right.sql} ON ${on}`,
        tables: outerNullable(ref.type, left.tables.length, tables),
      };
    }
  }
}

/**
 * The tables of a join as its result sees them: an outer join fills the other side with NULLs
 * where nothing matches, so that side's columns are nullable (MariaDB sends them without
 * NOT_NULL, and CREATE TABLE … AS SELECT makes them NULL columns). The ON condition still sees
 * the tables as declared. `leftCount` tables come from the left side.
 */
function outerNullable(
  type: keyof typeof joinKeywords,
  leftCount: number,
  tables: ScopeTable[],
): ScopeTable[] {
  if (type !== 'left' && type !== 'right') return tables;
  return tables.map((table, index) =>
    (type === 'left') === index >= leftCount ? nullableTable(table) : table,
  );
}

function nullableTable(table: ScopeTable): ScopeTable {
  if (table.columns.every((column) => column.nullable !== false)) return table;
  return {
    ...table,
    columns: table.columns.map((column) =>
      column.nullable === false ? { ...column, nullable: true } : column,
    ),
  };
}
