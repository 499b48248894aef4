/**
 * Text Resultset rows (ProtocolText::ResultsetRow): every value is a string<lenenc> in its
 * text form, NULL is 0xFB. The text forms follow values.ts: integers and bigints as decimal
 * text, DECIMAL and temporal values already as strings, blobs as raw bytes.
 */
import type { ColumnMeta, SqlValue } from '../values.js';
import { fixedDecimals } from './column-definition.js';
import { encodeUtf8, PayloadWriter } from './payload-writer.js';
import { doubleText, fixedText, floatText } from '../number-text.js';
import { bitBytes } from '../catalog/bit-value.js';

/** The text form of one value for a column, or undefined for NULL. */
export function textValue(value: SqlValue, column: ColumnMeta): Uint8Array | undefined {
  if (value === null) return undefined;
  if (value instanceof Uint8Array) return value;
  // A BIT(n) value is its ceil(n/8) bytes.
  if (column.kind === 'bit') return bitBytes(value, column.length ?? 64);
  switch (typeof value) {
    case 'string':
      return encodeUtf8(value);
    case 'bigint':
      return encodeUtf8(value.toString());
    case 'number':
      if (column.type === 'double' || column.type === 'float') {
        const fixed = fixedDecimals(column);
        // With fixed decimals, exactly that many digits (MariaDB: ROUND(1e0, 2) is 1.00; a
        // FLOAT(7,4) prints its single-precision value as a double, 123.4568).
        if (fixed !== undefined) return encodeUtf8(fixedText(value, fixed));
        return encodeUtf8(column.type === 'float' ? floatText(value) : doubleText(value));
      }
      // A YEAR prints four digits (0000).
      if (column.kind === 'year') return encodeUtf8(value.toFixed(0).padStart(4, '0'));
      return encodeUtf8(Number.isInteger(value) ? value.toFixed(0) : doubleText(value));
    default:
      // Not a SqlValue: a backend bug, still sent as text rather than breaking the result.
      return encodeUtf8(String(value));
  }
}

/** One ProtocolText::ResultsetRow. */
export function textRowPacket(
  row: readonly SqlValue[],
  columns: readonly ColumnMeta[],
): Uint8Array {
  const writer = new PayloadWriter(64);
  for (let index = 0; index < columns.length; index += 1) {
    const bytes = textValue(row[index] ?? null, columns[index]!);
    if (bytes === undefined) writer.uint8(0xfb);
    else writer.lengthEncodedBytes(bytes);
  }
  return writer.finish();
}
