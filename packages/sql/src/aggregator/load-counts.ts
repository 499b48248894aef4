/**
 * LOAD DATA's result: its counts as MariaDB's info line says them, its warnings, and the first
 * AUTO_INCREMENT value it generated as LAST_INSERT_ID() (MariaDB's OK packet says 0).
 */
import type { ConflictMode } from '../leaf/api.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext, Warning } from './context.js';
import type { InsertOutcome } from './insert.js';
import { ok } from './results.js';

/** At most this many warnings are kept for SHOW WARNINGS (MariaDB's max_error_count). */
const WARNINGS_KEPT = 64;

/**
 * LOAD DATA's counts, as MariaDB's info says them: "Records" read, "Deleted" by REPLACE (its
 * affected rows beyond one per record), "Skipped" by IGNORE as duplicates, and the warnings.
 */
export class LoadCounts {
  private affected = 0;
  private records = 0;
  private deleted = 0;
  private skipped = 0;
  private warningCount = 0;
  /** The first AUTO_INCREMENT value the load generated (LAST_INSERT_ID()), 0 if none. */
  private firstGenerated: number | bigint = 0;
  private readonly warnings: Warning[] = [];

  constructor(private readonly conflict: ConflictMode) {}

  /** A batch: its records, what storing them did, and the records' own warnings (first). */
  add(records: number, outcome: InsertOutcome, recordWarnings: readonly Warning[] = []): void {
    // A record a CHECK refused is neither a record nor skipped in MariaDB's info.
    const counted = records - (outcome.refused ?? 0);
    this.affected += outcome.affectedRows;
    this.records += counted;
    if (this.firstGenerated === 0) this.firstGenerated = outcome.lastInsertId;
    if (this.conflict === 'replace') this.deleted += outcome.affectedRows - records;
    if (this.conflict === 'ignore') this.skipped += counted - outcome.affectedRows;
    const warnings = [...recordWarnings, ...(outcome.warnings ?? [])];
    this.warningCount += warnings.length;
    this.warnings.push(...warnings.slice(0, WARNINGS_KEPT - this.warnings.length));
  }

  /** Rows the fast path stored, one per record. */
  addStored(rows: number, warnings: readonly Warning[]): void {
    this.affected += rows;
    this.records += rows;
    this.warningCount += warnings.length;
    this.warnings.push(...warnings.slice(0, WARNINGS_KEPT - this.warnings.length));
  }

  result(context: StatementContext): ResultOk {
    if (this.warnings.length > 0) context.session.warnings = [...this.warnings];
    const info = `Records: ${this.records}  Deleted: ${this.deleted}  Skipped: ${this.skipped}  Warnings: ${this.warningCount}`;
    if (this.firstGenerated !== 0) context.session.lastInsertId = this.firstGenerated;
    return ok(this.affected, {
      info,
      ...(this.warningCount > 0 ? { warnings: Math.min(this.warningCount, 65535) } : {}),
    });
  }
}
