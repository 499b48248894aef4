/** Literals: MySQL's constant syntax written for each engine, with MySQL's type. */
import type { LiteralExpr } from '../parser/ast-expr.js';
import { quoteString, type Context } from './context.js';
import {
  bigintType,
  dateType,
  datetimeType,
  decimalType,
  doubleType,
  intType,
  nullType,
  timeType,
  varcharType,
} from './type-rules.js';
import type { Typed } from './types.js';
import { normalizeTime } from '../catalog/temporal.js';
import { binaryBytes, hasRawBytes } from '../raw-bytes.js';

function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(6, text.length - dot - 1);
}

const UNSIGNED_MAX = 18_446_744_073_709_551_615n;
const BIGINT_MIN = -9_223_372_036_854_775_808n;
const BIGINT_MAX = 9_223_372_036_854_775_807n;

export function translateLiteral(context: Context, literal: LiteralExpr): Typed {
  const duck = context.dialect === 'duckdb';
  const value = literal.value;
  const base = { constant: literal };
  switch (literal.type) {
    case 'null':
      return { ...base, sql: 'NULL', type: nullType };
    case 'bool':
      return {
        ...base,
        sql: value === true ? '1' : '0',
        type: { ...intType, length: 1, precision: 1 },
      };
    case 'int': {
      const text = String(value);
      // `precision` keeps the digit count, which sizes arithmetic results (type-rules.ts).
      const digits = text.replace(/^-/, '').length;
      // Past 64 bits MySQL reads an integer literal as a DECIMAL (DuckDB would take a HUGEINT).
      if (typeof value === 'bigint' && (value > UNSIGNED_MAX || value < BIGINT_MIN)) {
        return {
          ...base,
          sql: duck && digits <= 38 ? `CAST(${text} AS DECIMAL(${digits},0))` : text,
          type: { ...decimalType(digits, 0), nullable: false },
        };
      }
      const big = typeof value === 'bigint' || Math.abs(Number(value)) > 2_147_483_647;
      const type = big
        ? {
            ...bigintType,
            ...(typeof value === 'bigint' && value > BIGINT_MAX ? { unsigned: true } : {}),
          }
        : intType;
      return {
        ...base,
        sql: text,
        type: { ...type, length: text.length, precision: digits, nullable: false },
      };
    }
    case 'decimal': {
      const text = String(value);
      const digits = text
        .replace(/^[-+]/, '')
        .replace('.', '')
        .replace(/^0+(?=\d)/, '').length;
      const scale = fractionDigits(text) === 0 ? 0 : text.length - text.indexOf('.') - 1;
      return {
        ...base,
        sql: text,
        type: { ...decimalType(Math.max(digits, scale), scale), nullable: false },
      };
    }
    case 'double': {
      const text = literal.raw ?? String(value);
      return {
        ...base,
        sql: duck ? `CAST(${text} AS DOUBLE)` : text,
        type: { ...doubleType, nullable: false },
      };
    }
    case 'string': {
      const text = String(value);
      if (hasRawBytes(text)) return binaryLiteral(base, binaryBytes(text));
      return {
        ...base,
        sql: quoteString(text),
        type: { ...varcharType(text.length), nullable: false },
      };
    }
    case 'hex':
      return binaryLiteral(base, Buffer.from(String(value), 'hex'));
    case 'bit':
      return {
        ...base,
        sql: BigInt(`0b${String(value) || '0'}`).toString(),
        type: { ...bigintType, nullable: false },
      };
    case 'date':
      return {
        ...base,
        sql: duck ? `DATE ${quoteString(String(value))}` : quoteString(String(value)),
        type: dateType,
      };
    case 'time': {
      const given = String(value);
      const text = normalizeTime(given, fractionDigits(given)) ?? given;
      return {
        ...base,
        sql: duck ? `INTERVAL ${quoteString(text)}` : quoteString(text),
        type: { ...timeType, scale: fractionDigits(text) },
      };
    }
    case 'timestamp': {
      const text = String(value);
      const sql = duck ? `TIMESTAMP ${quoteString(text)}` : quoteString(text);
      return { ...base, sql, type: datetimeType(fractionDigits(text)) };
    }
  }
}

/** A binary string constant (X'…', or text holding raw bytes), as UNHEX gives one. */
function binaryLiteral(base: { constant: LiteralExpr }, bytes: Uint8Array): Typed {
  const hex = Buffer.from(bytes).toString('hex').toUpperCase();
  return {
    ...base,
    sql: `unhex('${hex}')`,
    type: { type: 'blob', length: bytes.length, nullable: false },
    binary: true,
  };
}
