/**
 * The catalog on disk: one JSON file replaced atomically (write a temporary file, fsync it,
 * rename it over the old one, fsync the folder), so a crash leaves either the old or the new
 * catalog, never a torn one. Catalog changes are rare (DDL, accounts, leaves), so rewriting
 * the whole file is cheap.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { CatalogData, TableDef } from './types.js';

export const CATALOG_FILE = 'catalog.json';

export function emptyCatalog(): CatalogData {
  return {
    version: 1,
    nextTableId: 1,
    databases: {},
    tables: {},
    leaves: [],
    accounts: [],
    timeStorage: 'interval',
    keyCompare: 'folded',
    autoIncrement: {},
  };
}

/**
 * A catalog written before TIME columns became DuckDB INTERVAL: its TIME columns keep their
 * DuckDB TIME storage (`legacyTime`), which the dialect reads as INTERVAL.
 */
function markLegacyTime(data: CatalogData): CatalogData {
  if (data.timeStorage === 'interval') return data;
  const tables: Record<string, TableDef> = {};
  for (const [key, table] of Object.entries(data.tables)) {
    tables[key] = {
      ...table,
      columns: table.columns.map((column) =>
        column.type === 'time' && table.storage === 'column'
          ? { ...column, legacyTime: true }
          : column,
      ),
    };
  }
  return { ...data, tables, timeStorage: 'interval' };
}

/**
 * A catalog written before keys with text columns got fold indexes: its columnstore tables keep
 * their engine tables as they are, with keys that compare bytes (`binaryKeys`).
 */
function markBinaryKeys(data: CatalogData): CatalogData {
  if (data.keyCompare === 'folded') return data;
  const tables: Record<string, TableDef> = {};
  for (const [key, table] of Object.entries(data.tables))
    tables[key] = table.storage === 'column' ? { ...table, binaryKeys: true } : table;
  return { ...data, tables, keyCompare: 'folded' };
}

export function loadCatalog(directory: string): CatalogData {
  let text: string;
  try {
    text = readFileSync(join(directory, CATALOG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyCatalog();
    throw error;
  }
  const data = JSON.parse(text) as CatalogData;
  if (data.version !== 1) throw new Error(`unsupported catalog version ${String(data.version)}`);
  return markBinaryKeys(markLegacyTime(data));
}

export function saveCatalog(directory: string, data: CatalogData): void {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, CATALOG_FILE);
  const temporary = `${path}.tmp`;
  const file = openSync(temporary, 'w', 0o600);
  try {
    writeSync(file, JSON.stringify(data));
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
  renameSync(temporary, path);
  const folder = openSync(dirname(path), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}
