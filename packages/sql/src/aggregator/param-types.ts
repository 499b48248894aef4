/**
 * The MariaDB type of each value a COM_STMT_EXECUTE binds, from the type the client sent it
 * with: MariaDB types `?` by its bound value, so `SELECT ?` is a DOUBLE for a DOUBLE (mysql2
 * sends every JS number so), a BIGINT for an integer, VARCHAR for text, DATETIME for a date,
 * BLOB for bytes, TINYINT for a boolean. A NULL keeps the unknown type of a `?` at prepare.
 * The plan cache keys on `paramTypesKey` (the type kinds, not their lengths), so a prepared
 * statement is planned again only when its parameters change kind.
 */
import { ColumnType } from '../protocol/constants.js';
import type { MyType } from '../dialect/index.js';
import type { SqlValue } from '../values.js';

/** A parameter's type as COM_STMT_EXECUTE sends it. */
export interface WireParamType {
  readonly type: number;
  readonly unsigned: boolean;
}

function fraction(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(6, text.length - dot - 1);
}

function textOf(value: SqlValue): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

function boundType(wire: WireParamType, value: SqlValue): MyType | undefined {
  if (value === null) return undefined;
  const text = textOf(value);
  switch (wire.type) {
    case ColumnType.TINY:
      return { type: 'tinyint', length: 4, nullable: false };
    case ColumnType.SHORT:
    case ColumnType.LONG:
    case ColumnType.INT24:
    case ColumnType.LONGLONG:
    case ColumnType.YEAR:
      return {
        type: 'bigint',
        length: 20,
        nullable: false,
        ...(wire.unsigned ? { unsigned: true } : {}),
      };
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
      return { type: 'double', length: 23, scale: 31, nullable: false };
    case ColumnType.DECIMAL:
    case ColumnType.NEWDECIMAL: {
      const scale = fraction(text);
      const digits = text.replace(/[^0-9]/g, '').length;
      return { type: 'decimal', precision: Math.max(digits, scale, 1), scale, nullable: false };
    }
    case ColumnType.DATE:
      return { type: 'date', length: 10, nullable: false };
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP: {
      const scale = fraction(text);
      return { type: 'datetime', length: scale > 0 ? 20 + scale : 19, scale, nullable: false };
    }
    case ColumnType.TIME:
      return { type: 'time', length: 10, scale: fraction(text), nullable: false };
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.BLOB:
      return { type: 'blob', length: Buffer.byteLength(text), nullable: false };
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.STRING:
    case ColumnType.ENUM:
    case ColumnType.SET:
    case ColumnType.JSON:
      return { type: 'varchar', length: [...text].length, scale: 39, nullable: false };
    default:
      return undefined;
  }
}

/** The types of the bound values; undefined where the type stays unknown. */
export function boundParamTypes(
  types: readonly WireParamType[],
  values: readonly SqlValue[],
): (MyType | undefined)[] {
  return values.map((value, index) => {
    const wire = types[index];
    return wire === undefined ? undefined : boundType(wire, value);
  });
}

/** What plans depend on: each parameter's kind (and scale), not its length. */
export function paramTypesKey(types: readonly (MyType | undefined)[] | undefined): string {
  if (types === undefined) return '';
  return types
    .map((t) =>
      t === undefined ? '-' : `${t.type}${t.unsigned === true ? 'u' : ''}${t.scale ?? ''}`,
    )
    .join(',');
}
