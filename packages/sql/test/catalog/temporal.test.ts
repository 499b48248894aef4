/**
 * Date and datetime text read as MySQL reads date literals (MySQL reference, "Date and Time
 * Literals"); each answer below is MariaDB 10.11's for CAST(text AS DATE|DATETIME(6)).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCanonicalDate } from '../../src/catalog/coerce.js';
import { normalizeDate, normalizeDateTime } from '../../src/catalog/temporal.js';

const CASES: readonly (readonly [string, string | undefined, string | undefined])[] = [
  ['2024-01-05', '2024-01-05', '2024-01-05 00:00:00.000000'],
  ['2024/1/5', '2024-01-05', '2024-01-05 00:00:00.000000'],
  ['2024.01.05', '2024-01-05', '2024-01-05 00:00:00.000000'],
  ['2024^12^31', '2024-12-31', '2024-12-31 00:00:00.000000'],
  ['24-01-05', '2024-01-05', '2024-01-05 00:00:00.000000'],
  ['69-12-31', '2069-12-31', '2069-12-31 00:00:00.000000'],
  ['70-01-01', '1970-01-01', '1970-01-01 00:00:00.000000'],
  ['20240105', '2024-01-05', '2024-01-05 00:00:00.000000'],
  ['240105', '2024-01-05', '2024-01-05 00:00:00.000000'],
  ['2024-01-05T10:11:12.5', '2024-01-05', '2024-01-05 10:11:12.500000'],
  ['2024-01-05 10.11.12', '2024-01-05', '2024-01-05 10:11:12.000000'],
  ['20240105101112', '2024-01-05', '2024-01-05 10:11:12.000000'],
  ['240105101112', '2024-01-05', '2024-01-05 10:11:12.000000'],
  ['0024-01-05', '0024-01-05', '0024-01-05 00:00:00.000000'],
  ['2024-02-30', undefined, undefined],
  ['2024-13-01', undefined, undefined],
  ['12345', undefined, undefined],
  ['20240105.5', undefined, undefined],
];

describe('date text as MySQL reads it', () => {
  for (const [text, date, datetime] of CASES)
    it(`reads '${text}'`, () => {
      assert.equal(normalizeDate(text), date);
      assert.equal(normalizeDateTime(text, 6), datetime);
    });
});

// The quick test INSERT and its notes use for a date as stored: exactly the texts that
// normalizeDate gives back unchanged.
describe('a date already in stored form', () => {
  it('is recognized exactly when normalizeDate keeps the text', () => {
    const texts: string[] = CASES.map(([text]) => text);
    for (const year of ['0000', '1900', '2000', '2023', '2024', '9999'])
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++)
          texts.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    texts.push('2024-1a-01', '2024/01/01', '2024-01-01 ', ' 2024-01-01', '2024-01-1', '');
    for (const text of texts)
      assert.equal(isCanonicalDate(text), normalizeDate(text) === text, `'${text}'`);
  });
});
