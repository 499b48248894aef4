import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BinaryReader, BinaryWriter } from '../../src/storage/binary.js';
import { decodeLogRecord, encodeLogRecord, type LogRecord } from '../../src/storage/txn-records.js';
import { readValues, writeValues } from '../../src/storage/value-codec.js';
import {
  readColumnMetas,
  readRows,
  writeColumnMetas,
  writeRows,
} from '../../src/leaf/rows-codec.js';
import type { ColumnMeta, SqlValue } from '../../src/values.js';

/** Values as values.ts defines them: bigint only beyond ±2^53. */
const intValue = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 32)),
  fc.maxSafeInteger(),
);
const bigValue = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
  fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 127n - 1n, -(2n ** 127n)),
);
const kinds: Record<string, fc.Arbitrary<SqlValue>> = {
  int: intValue,
  big: bigValue,
  double: fc.double(),
  string: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant(''), fc.string({ unit: 'binary' })),
  bytes: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constant(new Uint8Array(0))),
  mixed: fc.oneof(intValue, bigValue, fc.double(), fc.string(), fc.uint8Array({ maxLength: 8 })),
};

const columnValues = fc
  .constantFrom(...Object.keys(kinds))
  .map((kind) => fc.option(kinds[kind] as fc.Arbitrary<SqlValue>, { nil: null, freq: 4 }));
const batch = fc
  .tuple(fc.array(columnValues, { minLength: 0, maxLength: 6 }), fc.nat({ max: 40 }))
  .chain(([columns, rowCount]) =>
    fc
      .array(fc.tuple(...(columns as [fc.Arbitrary<SqlValue>])), {
        minLength: rowCount,
        maxLength: rowCount,
      })
      .map((rows) => ({
        width: columns.length,
        rows: rows.map((row) => [...row].slice(0, columns.length)),
      })),
  );

function roundTripRows(rows: SqlValue[][], width: number): SqlValue[][] {
  const writer = new BinaryWriter(8);
  writeRows(writer, rows, width);
  const reader = new BinaryReader(Buffer.from(writer.view()));
  const decoded = readRows(reader);
  assert.equal(reader.remaining, 0);
  return decoded;
}

describe('rows codec', () => {
  it('round-trips random column batches exactly', () => {
    fc.assert(
      fc.property(batch, ({ rows, width }) => {
        assert.deepStrictEqual(roundTripRows(rows, width), rows);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps -0, NaN, infinities, big blobs and unicode', () => {
    const blob = new Uint8Array(3 * 1024 * 1024).map((_, index) => index % 251);
    const rows: SqlValue[][] = [
      [-0, Number.NaN, 'héllo 🌍', blob, null],
      [Number.POSITIVE_INFINITY, 1, '', new Uint8Array(0), 2n ** 64n],
    ];
    assert.deepStrictEqual(roundTripRows(rows, 5), rows);
  });

  it('round-trips column metadata', () => {
    const columns: ColumnMeta[] = [
      { name: 'id', type: 'bigint', primaryKey: true, autoIncrement: true, unsigned: false },
      {
        name: 'price',
        type: 'decimal',
        precision: 12,
        scale: 2,
        nullable: true,
        table: 't',
        orgTable: 't',
        orgName: 'price',
        database: 'shop',
      },
      { name: 'é', type: 'datetime', scale: 6, length: 26 },
    ];
    const writer = new BinaryWriter();
    writeColumnMetas(writer, columns);
    assert.deepStrictEqual(readColumnMetas(new BinaryReader(Buffer.from(writer.view()))), columns);
  });

  it('rejects truncated input with an error rather than a crash', () => {
    const writer = new BinaryWriter();
    writeRows(
      writer,
      [
        ['abc', 1],
        ['def', 2],
      ],
      2,
    );
    const bytes = Buffer.from(writer.view());
    for (let length = 0; length < bytes.length; length++) {
      assert.throws(
        () => readRows(new BinaryReader(bytes.subarray(0, length))),
        /Truncated|exceeds|Unknown/,
      );
    }
  });
});

describe('value codec and log records', () => {
  it('writes text as UTF-8 whatever its length and characters (short ASCII takes a loop)', () => {
    const texts = [''];
    for (const length of [1, 47, 48, 49, 200])
      for (const last of ['a', 'é', '€', '\u{1F600}', '\uD800'])
        texts.push('x'.repeat(length - 1) + last, last + 'y'.repeat(length - 1));
    const writer = new BinaryWriter(8);
    for (const text of texts) writer.string(text);
    const bytes = Buffer.from(writer.view());
    const reader = new BinaryReader(bytes);
    let offset = 0;
    for (const text of texts) {
      const expected = Buffer.from(text, 'utf8');
      assert.equal(bytes.readUInt32LE(offset), expected.length, JSON.stringify(text));
      assert.ok(bytes.subarray(offset + 4, offset + 4 + expected.length).equals(expected));
      offset += 4 + expected.length;
      assert.equal(reader.string(), Buffer.from(text, 'utf8').toString('utf8'));
    }
  });

  it('round-trips parameter lists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(kinds['mixed'] as fc.Arbitrary<SqlValue>, { nil: null })),
        (values) => {
          const writer = new BinaryWriter();
          writeValues(writer, values);
          assert.deepStrictEqual(readValues(new BinaryReader(Buffer.from(writer.view()))), values);
        },
      ),
    );
  });

  it('round-trips prepare records with statements and bulk rows', () => {
    const record: LogRecord = {
      kind: 'prepare',
      txn: 'agg-1:42',
      writes: [
        {
          kind: 'exec',
          partition: { database: 'shop', ordinal: 3 },
          engine: 'row',
          sql: 'UPDATE t SET v = ? WHERE id = ?',
          params: ['x', 2n ** 60n],
        },
        {
          kind: 'insert',
          partition: { database: 'shop', ordinal: -1 },
          engine: 'column',
          table: 't',
          columns: ['a', 'b'],
          rows: [
            [1, 'é'],
            [null, new Uint8Array([1, 2])],
          ],
          onConflict: 'replace',
        },
      ],
    };
    assert.deepStrictEqual(decodeLogRecord(encodeLogRecord(record)), record);
    assert.deepStrictEqual(decodeLogRecord(encodeLogRecord({ kind: 'committed', txn: 'a:1' })), {
      kind: 'committed',
      txn: 'a:1',
    });
  });
});
