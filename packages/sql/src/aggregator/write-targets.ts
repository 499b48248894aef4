/**
 * The tables an UPDATE or DELETE writes to, found among its table references: multi-table
 * UPDATE assigns to columns of any joined table, multi-table DELETE names its targets by
 * alias or name (MySQL 8.0 manual, "UPDATE Statement" and "DELETE Statement").
 */
import type { Assignment, TableName, TableRef, TableRefTable } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { TableDef } from '../catalog/types.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';

export interface WriteTarget {
  readonly ref: TableRefTable;
  /** The name the statement uses for the table: its alias, or its name. */
  readonly alias: string;
  readonly table: TableDef;
  readonly assignments: Assignment[];
}

/** Every base table in a FROM list, in source order (derived tables are not targets). */
export function tableRefs(from: readonly TableRef[]): TableRefTable[] {
  const out: TableRefTable[] = [];
  const visit = (ref: TableRef): void => {
    if (ref.kind === 'table') out.push(ref);
    else if (ref.kind === 'join') {
      visit(ref.left);
      visit(ref.right);
    }
  };
  for (const ref of from) visit(ref);
  return out;
}

function target(context: StatementContext, ref: TableRefTable): WriteTarget {
  const table = context.services.catalog.requireTable(
    currentDatabase(context, ref.database),
    ref.name,
  );
  return { ref, alias: ref.alias ?? ref.name, table, assignments: [] };
}

function sameName(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}

/** Groups UPDATE assignments by the table whose column they set. */
export function updateTargets(
  context: StatementContext,
  from: readonly TableRef[],
  assignments: readonly Assignment[],
): WriteTarget[] {
  const refs = tableRefs(from);
  const targets = new Map<TableRefTable, WriteTarget>();
  for (const assignment of assignments) {
    const column = assignment.column;
    let candidates = refs;
    if (column.table !== undefined) {
      candidates = refs.filter((ref) => sameName(ref.alias ?? ref.name, column.table ?? ''));
      if (candidates.length === 0) {
        throw sqlError(
          'BAD_FIELD',
          `Unknown column '${column.table}.${column.column}' in 'field list'`,
        );
      }
    }
    const owners = candidates
      .map((ref) => targets.get(ref) ?? target(context, ref))
      .filter((candidate) =>
        candidate.table.columns.some((definition) => sameName(definition.name, column.column)),
      );
    const owner = owners[0];
    if (owner === undefined) {
      const name = column.table === undefined ? column.column : `${column.table}.${column.column}`;
      throw sqlError('BAD_FIELD', `Unknown column '${name}' in 'field list'`);
    }
    if (owners.length > 1) {
      throw sqlError('NON_UNIQ', `Column '${column.column}' in field list is ambiguous`);
    }
    owner.assignments.push(assignment);
    targets.set(owner.ref, owner);
  }
  return [...targets.values()];
}

/** Resolves a multi-table DELETE's target list against its table references. */
export function deleteTargets(
  context: StatementContext,
  from: readonly TableRef[],
  names: readonly TableName[],
): WriteTarget[] {
  const refs = tableRefs(from);
  const targets: WriteTarget[] = [];
  for (const name of names) {
    const ref =
      refs.find(
        (candidate) => candidate.alias !== undefined && sameName(candidate.alias, name.name),
      ) ??
      refs.find(
        (candidate) =>
          candidate.alias === undefined &&
          sameName(candidate.name, name.name) &&
          (name.database === undefined ||
            sameName(candidate.database ?? context.session.database ?? '', name.database)),
      );
    if (ref === undefined)
      throw sqlError('UNKNOWN_TABLE', `Unknown table '${name.name}' in MULTI DELETE`);
    if (!targets.some((existing) => existing.ref === ref)) targets.push(target(context, ref));
  }
  return targets;
}
