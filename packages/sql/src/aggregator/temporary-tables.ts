/**
 * A session's temporary tables (CREATE TEMPORARY TABLE, docs/sql-temporary-tables.md): the
 * names the session gave them, each mapped to the table that holds its rows — an ordinary
 * catalog table with a reserved, session-unique name (`TableDef.temporary` keeps the session's
 * name), created, altered and dropped through the ordinary DDL paths. The session's statements
 * reach them through `temporary-names.ts`, which puts the reserved name in place of the one the
 * session shadows before anything else reads the statement; other sessions never see them.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { TableDef } from '../catalog/types.js';
import type { Transaction } from './coordinator.js';

/**
 * Starts every temporary table's reserved name. Users cannot name a table so (1103) nor read
 * one by it (1146), so no session reaches another's temporary tables.
 */
export const TEMPORARY_PREFIX = '#sql-temporary-';

export function isReservedName(name: string): boolean {
  return name.toLowerCase().startsWith(TEMPORARY_PREFIX);
}

export interface TemporaryTable {
  readonly database: string;
  /** The name the session knows it by. */
  readonly name: string;
  /** The catalog's (and the engines') name for it. */
  readonly physical: string;
  /**
   * The transaction its engine tables were created in, and how many writes it had made then:
   * a rollback there (whole, or to a savepoint set before) undoes them, and they are made
   * again (`ddl-temporary.ts`).
   */
  readonly createdIn?: { readonly transaction: Transaction; readonly writes: number };
}

/** A dropped temporary table whose engine tables go when `transaction` ends. */
interface LaterDrop {
  readonly table: TableDef;
  readonly transaction: Transaction;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function key(database: string, name: string): string {
  return `${database.toLowerCase()}.${name.toLowerCase()}`;
}

export class TemporaryTables {
  private readonly byName = new Map<string, TemporaryTable>();
  private laterDrops: LaterDrop[] = [];
  private created = 0;
  /** The names, as one pattern for `mentionedIn` (made again after a change). */
  private names: RegExp | undefined;
  /** Goes up on every change: a statement rewritten under another value is rewritten again. */
  generation = 0;

  /** `scope` makes reserved names unique among sessions and aggregator runs. */
  constructor(private readonly scope: string) {}

  get size(): number {
    return this.byName.size;
  }

  /** A reserved name no other table has or had. */
  nextPhysicalName(): string {
    this.created += 1;
    return `${TEMPORARY_PREFIX}${this.scope}-${this.created}`;
  }

  find(database: string, name: string): TemporaryTable | undefined {
    return this.byName.get(key(database, name));
  }

  list(): TemporaryTable[] {
    return [...this.byName.values()];
  }

  add(table: TemporaryTable): void {
    this.byName.set(key(table.database, table.name), table);
    this.generation += 1;
    this.names = undefined;
  }

  remove(table: TemporaryTable): void {
    this.byName.delete(key(table.database, table.name));
    this.generation += 1;
    this.names = undefined;
  }

  /** Dropped inside a transaction, which may hold its partitions' write locks. */
  dropLater(table: TableDef, transaction: Transaction): void {
    this.laterDrops.push({ table, transaction });
  }

  /** The tables dropped inside `transaction` (every one without it), no longer listed. */
  takeLaterDrops(transaction?: Transaction): TableDef[] {
    const taken = this.laterDrops.filter(
      (drop) => transaction === undefined || drop.transaction === transaction,
    );
    this.laterDrops = this.laterDrops.filter((drop) => !taken.includes(drop));
    return taken.map((drop) => drop.table);
  }

  /** Whether anything waits for the end of a transaction. */
  get waiting(): boolean {
    return this.laterDrops.length > 0 || this.list().some((table) => table.createdIn !== undefined);
  }

  /**
   * Whether `text` may name one of the tables: false when no name appears in it at all (such a
   * text runs as in any other session, and the text cache may serve it).
   */
  mentionedIn(text: string): boolean {
    if (this.byName.size === 0) return false;
    this.names ??= new RegExp(
      [...this.byName.values()].map((table) => escapeRegExp(table.name)).join('|'),
      'i',
    );
    return this.names.test(text);
  }
}

/**
 * The session's temporary table `database.name` with its catalog entry, if it has one. An entry
 * whose table is gone from the catalog (DROP DATABASE dropped its partitions) is forgotten.
 */
export function temporaryTable(
  catalog: Catalog,
  tables: TemporaryTables,
  database: string,
  name: string,
): { readonly entry: TemporaryTable; readonly table: TableDef } | undefined {
  const entry = tables.find(database, name);
  if (entry === undefined) return undefined;
  const table = catalog.table(entry.database, entry.physical);
  if (table !== undefined) return { entry, table };
  tables.remove(entry);
  return undefined;
}

/** The name users see for a table: a temporary table's own, else the catalog's. */
export function shownName(table: Pick<TableDef, 'name' | 'temporary'>): string {
  return table.temporary ?? table.name;
}
