/**
 * The output columns of one fragment: one per table column the rest of the query reads. An
 * output keeps the column's own name unless another table of the fragment already uses it;
 * then it is `<table name>_<column>`, made unique against every column name the block can
 * see, so an unqualified reference elsewhere never becomes ambiguous. Pure.
 */
import type { ScopeTable } from './fragment-scope.js';

export interface FragmentOutput {
  /** The name the query uses for the table. */
  readonly table: string;
  /** The column as the table defines it. */
  readonly column: string;
  /** The output column's name. */
  readonly name: string;
}

export interface FragmentOutputs {
  /** The output column for a table's column, added on first use. */
  use(table: ScopeTable, column: string): string;
  items(): readonly FragmentOutput[];
}

const SUFFIX_MAX = 1000;

export function fragmentOutputs(
  tables: readonly ScopeTable[],
  visibleColumns: readonly string[],
): FragmentOutputs {
  const members = new Set(tables.map((table) => table.name));
  const reserved = new Set(visibleColumns.map((name) => name.toLowerCase()));
  const outputs: FragmentOutput[] = [];
  const byKey = new Map<string, string>();
  const used = new Set<string>();
  return {
    use(table, column) {
      if (!members.has(table.name)) throw new Error(`${table.name} is not in the fragment`);
      const key = `${table.name}.${column.toLowerCase()}`;
      const known = byKey.get(key);
      if (known !== undefined) return known;
      let name = column;
      if (used.has(name.toLowerCase())) {
        const base = `${table.name}_${column}`;
        name = base;
        for (let suffix = 2; used.has(name.toLowerCase()) || reserved.has(name.toLowerCase());) {
          if (suffix > SUFFIX_MAX) throw new Error('no free fragment column name');
          name = `${base}_${suffix}`;
          suffix += 1;
        }
      }
      used.add(name.toLowerCase());
      byKey.set(key, name);
      outputs.push({ table: table.name, column, name });
      return name;
    },
    items() {
      return outputs;
    },
  };
}
