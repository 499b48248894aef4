/**
 * AUTO_INCREMENT values reserved as InnoDB reserves them within one statement (MariaDB 10.11,
 * innodb_autoinc_lock_mode=1), so the ids a client reads after a statement that left some
 * unused are MariaDB's. The first row that needs a value reserves as many values as the
 * statement's VALUES list has rows, or one when the count is not known (INSERT … SELECT, LOAD
 * DATA, CREATE … SELECT); each later reservation takes the rows the first one counted that are
 * still to come, or else twice the last (up to 65,535). A row given its own value moves the
 * next value past it. Values a statement reserved and did not use are lost: the table's counter
 * already stands past them (the next statement's first id skips them).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { TableDef } from '../catalog/types.js';

/** InnoDB's AUTO_INC_DEFAULT_NB_MAX: the most one reservation takes. */
const RESERVATION_MAX = 65_535;

class Reservation {
  private next = 0;
  private end = 0;
  private intervals = 0;
  /** Rows of the statement's count still to be written (InnoDB's `n_autoinc_rows`). */
  private pending = 0;

  constructor(
    private readonly catalog: Pick<Catalog, 'reserveAutoIncrement'>,
    private readonly table: TableDef,
    /** The rows of the statement's VALUES list, 0 when unknown. */
    private readonly known: number,
  ) {}

  /** The value of the next row that asks for one. */
  take(): number {
    if (this.next < this.end) {
      this.written();
      return this.next++;
    }
    const desired =
      this.intervals === 0 && this.known > 0
        ? this.known
        : Math.min(2 ** Math.min(this.intervals, 16), RESERVATION_MAX);
    if (this.pending === 0) this.pending = desired;
    const first = this.catalog.reserveAutoIncrement(
      this.table.database,
      this.table.name,
      this.pending,
    );
    this.intervals += 1;
    this.next = first + 1;
    this.end = first + this.pending;
    this.written();
    return first;
  }

  /** A row written with its own value. */
  given(value: number): void {
    if (this.next < this.end && value >= this.next) this.next = value + 1;
    this.written();
  }

  private written(): void {
    if (this.pending > 0) this.pending -= 1;
  }
}

const statements = new WeakMap<object, { known: number; tables: Map<string, Reservation> }>();

/** Records how many rows the statement's VALUES list holds (before its rows are completed). */
export function expectRows(statement: object, known: number): void {
  statements.set(statement, { known, tables: new Map() });
}

/** The statement's reservation for `table`, made at its first use. */
export function reservationFor(
  statement: object,
  catalog: Pick<Catalog, 'reserveAutoIncrement'>,
  table: TableDef,
): Pick<Reservation, 'take' | 'given'> {
  let entry = statements.get(statement);
  if (entry === undefined) {
    entry = { known: 0, tables: new Map() };
    statements.set(statement, entry);
  }
  const key = `${table.database}.${table.name}`;
  let reservation = entry.tables.get(key);
  if (reservation === undefined) {
    reservation = new Reservation(catalog, table, entry.known);
    entry.tables.set(key, reservation);
  }
  return reservation;
}
