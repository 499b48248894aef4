import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueTimesBetween, nextDueTime, nextTimes, scheduleOf } from './schedule-helpers.js';

test('a daily schedule in UTC, strictly after the given instant', () => {
  const schedule = scheduleOf('30 2 * * *');
  assert.equal(
    nextDueTime(schedule, Date.parse('2026-01-01T00:00:00Z')),
    Date.parse('2026-01-01T02:30:00Z'),
  );
  // Exactly at a due time, the next one is the following day.
  assert.equal(
    nextDueTime(schedule, Date.parse('2026-01-01T02:30:00Z')),
    Date.parse('2026-01-02T02:30:00Z'),
  );
  // A millisecond before still counts as before.
  assert.equal(
    nextDueTime(schedule, Date.parse('2026-01-01T02:29:59.999Z')),
    Date.parse('2026-01-01T02:30:00Z'),
  );
});

test('a year field: only the years listed, however far ahead', () => {
  assert.deepEqual(
    nextTimes({ cron: '30 12 1 1,7 * 2031', fromIso: '2026-01-01T00:00:00Z', count: 3 }),
    ['2031-01-01T12:30:00.000Z', '2031-07-01T12:30:00.000Z'],
  );
  assert.deepEqual(
    nextTimes({ cron: '0 0 1 1 * 2099', fromIso: '2026-05-01T00:00:00Z', count: 2 }),
    ['2099-01-01T00:00:00.000Z'],
  );
  assert.deepEqual(
    nextTimes({ cron: '0 0 29 2 * 2027-2033', fromIso: '2026-01-01T00:00:00Z', count: 3 }),
    ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z'],
  );
  assert.deepEqual(
    nextTimes({ cron: '*/20 * * * * *', fromIso: '2026-01-01T00:00:50Z', count: 3 }),
    ['2026-01-01T00:20:00.000Z', '2026-01-01T00:40:00.000Z', '2026-01-01T01:00:00.000Z'],
  );
  // A year already past never comes.
  assert.deepEqual(
    nextTimes({ cron: '0 0 * * * 2020', fromIso: '2026-01-01T00:00:00Z', count: 1 }),
    [],
  );
});

test('steps and names', () => {
  assert.deepEqual(
    nextTimes({ cron: '0 9 * * MON-FRI', fromIso: '2026-01-02T10:00:00Z', count: 3 }),
    ['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z', '2026-01-07T09:00:00.000Z'],
  );
  assert.deepEqual(
    nextTimes({ cron: '0 0 1 FEB,aug *', fromIso: '2026-03-01T00:00:00Z', count: 3 }),
    ['2026-08-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z', '2027-08-01T00:00:00.000Z'],
  );
});

test('macros fire when their expansions do', () => {
  assert.deepEqual(nextTimes({ cron: '@hourly', fromIso: '2026-01-01T00:00:00Z', count: 2 }), [
    '2026-01-01T01:00:00.000Z',
    '2026-01-01T02:00:00.000Z',
  ]);
  assert.deepEqual(nextTimes({ cron: '@weekly', fromIso: '2026-01-01T00:00:00Z', count: 2 }), [
    '2026-01-04T00:00:00.000Z',
    '2026-01-11T00:00:00.000Z',
  ]);
  assert.deepEqual(nextTimes({ cron: '@yearly', fromIso: '2026-06-01T00:00:00Z', count: 1 }), [
    '2027-01-01T00:00:00.000Z',
  ]);
});

test("both day fields restricted: a day must match both, Metronome's rule", () => {
  // Friday the 13th: February, March and November 2026.
  assert.deepEqual(nextTimes({ cron: '0 0 13 * FRI', fromIso: '2026-01-01T00:00:00Z', count: 3 }), [
    '2026-02-13T00:00:00.000Z',
    '2026-03-13T00:00:00.000Z',
    '2026-11-13T00:00:00.000Z',
  ]);
  // The first Monday of each month.
  assert.deepEqual(
    nextTimes({ cron: '0 9 1-7 * MON', fromIso: '2026-01-01T00:00:00Z', count: 3 }),
    ['2026-01-05T09:00:00.000Z', '2026-02-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z'],
  );
});

test('one day field starred: the other one decides', () => {
  assert.deepEqual(nextTimes({ cron: '0 0 * * FRI', fromIso: '2026-01-01T00:00:00Z', count: 2 }), [
    '2026-01-02T00:00:00.000Z',
    '2026-01-09T00:00:00.000Z',
  ]);
  assert.deepEqual(nextTimes({ cron: '0 0 13 * *', fromIso: '2026-01-01T00:00:00Z', count: 2 }), [
    '2026-01-13T00:00:00.000Z',
    '2026-02-13T00:00:00.000Z',
  ]);
});

test('a stepped day field restricts like a range: */2 and 1-31/2 are the same', () => {
  for (const cron of ['0 0 */2 * 1', '0 0 1-31/2 * 1']) {
    assert.deepEqual(nextTimes({ cron, fromIso: '2026-01-01T00:00:00Z', count: 3 }), [
      '2026-01-05T00:00:00.000Z',
      '2026-01-19T00:00:00.000Z',
      '2026-02-09T00:00:00.000Z',
    ]);
  }
});

test('29 February waits for leap years; impossible dates give undefined within the horizon', () => {
  assert.deepEqual(nextTimes({ cron: '0 0 29 2 *', fromIso: '2026-01-01T00:00:00Z', count: 2 }), [
    '2028-02-29T00:00:00.000Z',
    '2032-02-29T00:00:00.000Z',
  ]);
  // 29 February on a Monday: 2044 is beyond the search horizon from 2026.
  assert.equal(
    nextDueTime(scheduleOf('0 0 29 2 MON'), Date.parse('2026-01-01T00:00:00Z')),
    undefined,
  );
});

test('nextDueTime on a valid schedule does not throw on odd instants', () => {
  const schedule = scheduleOf('* * * * *', 'America/New_York');
  assert.equal(nextDueTime(schedule, Number.NaN), undefined);
  assert.equal(nextDueTime(schedule, Number.POSITIVE_INFINITY), undefined);
  assert.equal(nextDueTime(schedule, 8.64e15), undefined);
  assert.equal(typeof nextDueTime(schedule, -1e12), 'number');
});

test('dueTimesBetween covers (from, to] and stops at the limit', () => {
  const schedule = scheduleOf('0 * * * *');
  const fromMs = Date.parse('2026-01-01T00:00:00Z');
  const toMs = Date.parse('2026-01-01T05:00:00Z');
  const times = dueTimesBetween(schedule, fromMs, toMs, 100);
  assert.equal(times.length, 5);
  assert.equal(times[0], Date.parse('2026-01-01T01:00:00Z'));
  assert.equal(times[4], toMs);
  assert.equal(dueTimesBetween(schedule, fromMs, toMs, 2).length, 2);
  assert.deepEqual(dueTimesBetween(schedule, fromMs, toMs, 0), []);
  assert.deepEqual(dueTimesBetween(schedule, toMs, fromMs, 10), []);
});

test("the day fields' month-dependent items: L, L-n, LW, nW, d#k and dL (Metronome's definition)", () => {
  const days = (cron: string, count = 4) =>
    nextTimes({ cron, fromIso: '2026-01-01T00:00:00Z', count }).map((iso) => iso.slice(0, 10));
  assert.deepEqual(days('0 0 L * *', 3), ['2026-01-31', '2026-02-28', '2026-03-31']);
  assert.deepEqual(days('0 0 L-3 * *', 3), ['2026-01-28', '2026-02-25', '2026-03-28']);
  // The last weekday: Saturday 31 January moves back to Friday 30, Sunday 31 May to Friday 29.
  assert.deepEqual(days('0 0 LW * *', 5), [
    '2026-01-30',
    '2026-02-27',
    '2026-03-31',
    '2026-04-30',
    '2026-05-29',
  ]);
  // Nearest weekday within the month: Sunday 15 February → Monday 16; Saturday 15 August → 14.
  assert.deepEqual(days('0 0 15W * *', 3), ['2026-01-15', '2026-02-16', '2026-03-16']);
  assert.deepEqual(nextTimes({ cron: '0 0 15W 8 *', fromIso: '2026-01-01T00:00:00Z', count: 1 }), [
    '2026-08-14T00:00:00.000Z',
  ]);
  // Saturday 1 August is not moved back into July but on to Monday 3; 31W skips 30-day months.
  assert.deepEqual(days('0 0 1W 8 *', 1), ['2026-08-03']);
  assert.deepEqual(days('0 0 31W * *', 4), [
    '2026-01-30',
    '2026-03-31',
    '2026-05-29',
    '2026-07-31',
  ]);
  assert.deepEqual(days('0 0 * * 5#2', 3), ['2026-01-09', '2026-02-13', '2026-03-13']);
  assert.deepEqual(days('0 0 * * FRI#5', 3), ['2026-01-30', '2026-05-29', '2026-07-31']);
  assert.deepEqual(days('0 0 * * 5L', 3), ['2026-01-30', '2026-02-27', '2026-03-27']);
  assert.deepEqual(days('0 0 * * 7L', 2), ['2026-01-25', '2026-02-22']);
  // Lists mix them with plain values, and both day fields must still match.
  assert.deepEqual(days('0 0 1,L * *', 3), ['2026-01-31', '2026-02-01', '2026-02-28']);
  assert.deepEqual(days('0 0 * * MON#1,FRIL', 3), ['2026-01-05', '2026-01-30', '2026-02-02']);
  assert.deepEqual(days('0 0 L * FRI', 2), ['2026-07-31', '2027-04-30']);
});
