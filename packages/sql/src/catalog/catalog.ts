/**
 * The aggregator's catalog in memory: databases and their partition placement, tables, views,
 * leaves, accounts and AUTO_INCREMENT counters. Tables and views share one namespace per
 * database (the handlers keep a name from being both). Every change is written to disk before it
 * returns (`catalog-store.ts`). Names of databases and tables are matched case-insensitively,
 * as on MySQL with lower_case_table_names=2: the engines' identifiers are case-insensitive.
 */
import { sqlError } from '../errors.js';
import { loadCatalog, saveCatalog } from './catalog-store.js';
import type { AccountDef, CatalogData, DatabaseDef, LeafDef, TableDef, ViewDef } from './types.js';

/** AUTO_INCREMENT values are reserved on disk in blocks; a crash skips the rest of a block. */
const AUTO_INCREMENT_BLOCK = 1000;

function tableKey(database: string, table: string): string {
  return `${database.toLowerCase()}.${table.toLowerCase()}`;
}

export class Catalog {
  private data: CatalogData;
  private readonly directory: string;
  /** In-memory AUTO_INCREMENT cursors; the persisted value is the end of the reserved block. */
  private readonly autoCursor = new Map<string, number>();
  /**
   * Goes up on every change. Plans cached by sessions (prepared statements, repeated query
   * texts) record the version they were made at and are thrown away when it differs.
   */
  private changes = 0;

  constructor(directory: string) {
    this.directory = directory;
    this.data = loadCatalog(directory);
  }

  private commit(next: CatalogData): void {
    saveCatalog(this.directory, next);
    this.data = next;
    this.changes += 1;
  }

  get version(): number {
    return this.changes;
  }

  get snapshot(): CatalogData {
    return this.data;
  }

  database(name: string): DatabaseDef | undefined {
    const found = Object.values(this.data.databases).find(
      (db) => db.name.toLowerCase() === name.toLowerCase(),
    );
    return found;
  }

  requireDatabase(name: string): DatabaseDef {
    const found = this.database(name);
    if (found === undefined) throw sqlError('BAD_DB', `Unknown database '${name}'`);
    return found;
  }

  databases(): DatabaseDef[] {
    return Object.values(this.data.databases).sort((a, b) => a.name.localeCompare(b.name));
  }

  putDatabase(database: DatabaseDef): void {
    this.commit({
      ...this.data,
      databases: { ...this.data.databases, [database.name.toLowerCase()]: database },
    });
  }

  dropDatabase(name: string): void {
    const databases = { ...this.data.databases };
    delete databases[name.toLowerCase()];
    const elsewhere = ([, entry]: [string, { readonly database: string }]): boolean =>
      entry.database.toLowerCase() !== name.toLowerCase();
    const tables = Object.fromEntries(Object.entries(this.data.tables).filter(elsewhere));
    const views = Object.fromEntries(Object.entries(this.data.views ?? {}).filter(elsewhere));
    // Its tables' AUTO_INCREMENT counters go with them: a table made again starts at 1.
    const gone = new Set(
      Object.entries(this.data.tables)
        .filter((entry) => !elsewhere(entry))
        .map(([key]) => key),
    );
    const autoIncrement = Object.fromEntries(
      Object.entries(this.data.autoIncrement).filter(([key]) => !gone.has(key)),
    );
    for (const key of gone) this.autoCursor.delete(key);
    this.commit({ ...this.data, databases, tables, views, autoIncrement });
  }

  table(database: string, name: string): TableDef | undefined {
    return this.data.tables[tableKey(database, name)];
  }

  requireTable(database: string, name: string): TableDef {
    const found = this.table(database, name);
    if (found === undefined)
      throw sqlError('NO_SUCH_TABLE', `Table '${database}.${name}' doesn't exist`);
    return found;
  }

  /**
   * The database's tables, sorted by name; sessions' temporary tables only with `temporary`
   * (they are listed nowhere, but live in the database's partitions).
   */
  tables(database: string, options: { readonly temporary?: boolean } = {}): TableDef[] {
    return Object.values(this.data.tables)
      .filter(
        (table) =>
          table.database.toLowerCase() === database.toLowerCase() &&
          (options.temporary === true || table.temporary === undefined),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every session's temporary table, in every database. */
  temporaryTables(): TableDef[] {
    return Object.values(this.data.tables).filter((table) => table.temporary !== undefined);
  }

  allocateTableId(): number {
    const id = this.data.nextTableId;
    this.commit({ ...this.data, nextTableId: id + 1 });
    return id;
  }

  putTable(table: TableDef, replacing?: TableDef): void {
    const tables = { ...this.data.tables };
    if (replacing !== undefined) delete tables[tableKey(replacing.database, replacing.name)];
    tables[tableKey(table.database, table.name)] = table;
    this.commit({ ...this.data, tables });
  }

  dropTable(database: string, name: string): void {
    const tables = { ...this.data.tables };
    delete tables[tableKey(database, name)];
    const autoIncrement = { ...this.data.autoIncrement };
    delete autoIncrement[tableKey(database, name)];
    this.autoCursor.delete(tableKey(database, name));
    this.commit({ ...this.data, tables, autoIncrement });
  }

  view(database: string, name: string): ViewDef | undefined {
    return this.data.views?.[tableKey(database, name)];
  }

  views(database: string): ViewDef[] {
    return Object.values(this.data.views ?? {})
      .filter((view) => view.database.toLowerCase() === database.toLowerCase())
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates or replaces a view (CREATE [OR REPLACE] VIEW, ALTER VIEW). */
  putView(view: ViewDef): void {
    const views = { ...this.data.views, [tableKey(view.database, view.name)]: view };
    this.commit({ ...this.data, views });
  }

  /** Drops several views in one catalog write, so DROP VIEW v1, v2 is all or nothing. */
  dropViews(names: readonly { readonly database: string; readonly name: string }[]): void {
    const views = { ...this.data.views };
    for (const { database, name } of names) delete views[tableKey(database, name)];
    this.commit({ ...this.data, views });
  }

  leaves(): readonly LeafDef[] {
    return this.data.leaves;
  }

  putLeaves(leaves: readonly LeafDef[]): void {
    this.commit({ ...this.data, leaves });
  }

  accounts(): readonly AccountDef[] {
    return this.data.accounts;
  }

  putAccounts(accounts: readonly AccountDef[]): void {
    this.commit({ ...this.data, accounts });
  }

  /** Reserves `count` consecutive AUTO_INCREMENT values and returns the first. */
  reserveAutoIncrement(database: string, table: string, count: number): number {
    const key = tableKey(database, table);
    const persisted = this.data.autoIncrement[key] ?? 1;
    const cursor = this.autoCursor.get(key) ?? persisted;
    const end = cursor + count;
    if (end > persisted) {
      const reserved = end + AUTO_INCREMENT_BLOCK;
      this.commit({ ...this.data, autoIncrement: { ...this.data.autoIncrement, [key]: reserved } });
    }
    this.autoCursor.set(key, end);
    return cursor;
  }

  /** TRUNCATE starts the counter again at 1, as MySQL does. */
  resetAutoIncrement(database: string, table: string): void {
    const key = tableKey(database, table);
    const autoIncrement = { ...this.data.autoIncrement };
    delete autoIncrement[key];
    this.autoCursor.delete(key);
    this.commit({ ...this.data, autoIncrement });
  }

  /**
   * The table option AUTO_INCREMENT = n: the next value is n, never below the counter's
   * (`floor`, what the stored rows need; CREATE TABLE passes 1).
   */
  setAutoIncrement(database: string, table: string, next: number, floor: number): void {
    const key = tableKey(database, table);
    const value = Math.max(next, floor, 1);
    this.autoCursor.set(key, value);
    this.commit({ ...this.data, autoIncrement: { ...this.data.autoIncrement, [key]: value } });
  }

  /** An explicit value at or above the counter moves the counter past it (MySQL's rule). */
  observeAutoIncrement(database: string, table: string, value: number): void {
    const key = tableKey(database, table);
    const cursor = this.autoCursor.get(key) ?? this.data.autoIncrement[key] ?? 1;
    if (value >= cursor) this.reserveAutoIncrement(database, table, value + 1 - cursor);
  }

  /**
   * At a clean shutdown, gives back what is left of the reserved blocks, so the counters go on
   * where they stopped (only a crash skips values).
   */
  releaseAutoIncrement(): void {
    if (this.autoCursor.size === 0) return;
    const autoIncrement = { ...this.data.autoIncrement };
    for (const [key, cursor] of this.autoCursor)
      if (autoIncrement[key] !== undefined) autoIncrement[key] = cursor;
    this.commit({ ...this.data, autoIncrement });
  }

  /** The next AUTO_INCREMENT value (SHOW CREATE TABLE, information_schema.TABLES). */
  peekAutoIncrement(database: string, table: string): number {
    const key = tableKey(database, table);
    return this.autoCursor.get(key) ?? this.data.autoIncrement[key] ?? 1;
  }
}
