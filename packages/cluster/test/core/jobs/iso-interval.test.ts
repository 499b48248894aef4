import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dueTimesBetween,
  errorsOf,
  nextDueTime,
  nextTimes,
  scheduleOf,
} from './schedule-helpers.js';

test('R5 with PT1H gives exactly five hourly times from the start', () => {
  const schedule = scheduleOf('R5/2026-01-01T00:00:00Z/PT1H');
  const times = dueTimesBetween(schedule, 0, Number.MAX_SAFE_INTEGER, 100).map((ms) =>
    new Date(ms).toISOString(),
  );
  assert.deepEqual(times, [
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T01:00:00.000Z',
    '2026-01-01T02:00:00.000Z',
    '2026-01-01T03:00:00.000Z',
    '2026-01-01T04:00:00.000Z',
  ]);
  assert.equal(nextDueTime(schedule, Date.parse('2026-01-01T04:00:00Z')), undefined);
  // Strictly after: asked at an occurrence, the next one follows.
  assert.equal(
    nextDueTime(schedule, Date.parse('2026-01-01T01:00:00Z')),
    Date.parse('2026-01-01T02:00:00Z'),
  );
});

test('R0 never runs; R and R-1 never stop', () => {
  assert.equal(nextDueTime(scheduleOf('R0/2026-01-01T00:00:00Z/PT1H'), 0), undefined);
  for (const repetitions of ['R', 'R-1']) {
    const schedule = scheduleOf(`${repetitions}/2020-01-01T00:00:00Z/PT30S`);
    assert.equal(
      nextDueTime(schedule, Date.parse('2030-06-01T12:00:10Z')),
      Date.parse('2030-06-01T12:00:30Z'),
    );
  }
});

test('P1D keeps the local time across spring forward and fall back (America/New_York)', () => {
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-03-06T09:00:00/P1D',
      timezone: 'America/New_York',
      fromIso: '2026-01-01T00:00:00Z',
      count: 4,
    }),
    [
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ],
  );
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-10-30T09:00:00/P1D',
      timezone: 'America/New_York',
      fromIso: '2026-10-31T00:00:00Z',
      count: 3,
    }),
    ['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z'],
  );
});

test('P1D at skipped and repeated times follows the cron DST rule', () => {
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-03-07T02:30:00/P1D',
      timezone: 'America/New_York',
      fromIso: '2026-01-01T00:00:00Z',
      count: 3,
    }),
    ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'],
  );
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-10-31T01:30:00/P1D',
      timezone: 'America/New_York',
      fromIso: '2026-01-01T00:00:00Z',
      count: 3,
    }),
    ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
  );
});

test('PT1H is elapsed time: it runs through the repeated hour twice', () => {
  assert.deepEqual(
    nextTimes({
      cron: 'R4/2026-11-01T00:00:00-04:00/PT1H',
      timezone: 'America/New_York',
      fromIso: '2026-01-01T00:00:00Z',
      count: 10,
    }),
    [
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ],
  );
});

test('a start with an offset is an instant; calendar periods then follow the schedule zone', () => {
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-03-06T09:00:00-05:00/P1D',
      timezone: 'America/New_York',
      fromIso: '2026-01-01T00:00:00Z',
      count: 3,
    }),
    ['2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z'],
  );
  // Without a zone (UTC), the same start keeps a fixed 14:00Z.
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-03-06T09:00:00-05:00/P1D',
      fromIso: '2026-03-07T15:00:00Z',
      count: 2,
    }),
    ['2026-03-08T14:00:00.000Z', '2026-03-09T14:00:00.000Z'],
  );
});

test('P1W, P1M (clamped to the month end), P1Y from 29 February and combined periods', () => {
  assert.deepEqual(
    nextTimes({ cron: 'R3/2026-01-01T08:00:00Z/P1W', fromIso: '2025-01-01T00:00:00Z', count: 5 }),
    ['2026-01-01T08:00:00.000Z', '2026-01-08T08:00:00.000Z', '2026-01-15T08:00:00.000Z'],
  );
  assert.deepEqual(
    nextTimes({ cron: 'R/2026-01-31T09:00:00Z/P1M', fromIso: '2026-01-31T09:00:00Z', count: 4 }),
    [
      '2026-02-28T09:00:00.000Z',
      '2026-03-31T09:00:00.000Z',
      '2026-04-30T09:00:00.000Z',
      '2026-05-31T09:00:00.000Z',
    ],
  );
  assert.deepEqual(
    nextTimes({ cron: 'R/2024-02-29T00:00:00Z/P1Y', fromIso: '2024-03-01T00:00:00Z', count: 4 }),
    [
      '2025-02-28T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ],
  );
  assert.deepEqual(
    nextTimes({
      cron: 'R/2026-01-01T00:00:00Z/P1DT12H',
      fromIso: '2026-01-01T00:00:00Z',
      count: 2,
    }),
    ['2026-01-02T12:00:00.000Z', '2026-01-04T00:00:00.000Z'],
  );
});

test('a far-away question is answered by search, not by stepping', () => {
  const schedule = scheduleOf('R/2000-01-01T00:00:00/P1D', 'Europe/Berlin');
  assert.equal(
    nextDueTime(schedule, Date.parse('2026-07-01T12:00:00Z')),
    Date.parse('2026-07-01T22:00:00Z'),
  );
  const seconds = scheduleOf('R/1990-01-01T00:00:00Z/PT7S');
  const afterMs = Date.parse('2026-07-01T12:00:00Z');
  const nextMs = nextDueTime(seconds, afterMs) ?? Number.NaN;
  assert.ok(
    nextMs > afterMs &&
      nextMs - afterMs <= 7000 &&
      (nextMs - Date.parse('1990-01-01T00:00:00Z')) % 7000 === 0,
  );
});

test('a start without an offset is local to the zone; a date alone means midnight; lowercase is accepted', () => {
  assert.equal(
    nextDueTime(scheduleOf('R1/2026-07-01T09:00/P1D', 'Asia/Kolkata'), 0),
    Date.parse('2026-07-01T03:30:00Z'),
  );
  assert.equal(
    nextDueTime(scheduleOf('R1/2026-07-01/P1D', 'Europe/Berlin'), 0),
    Date.parse('2026-06-30T22:00:00Z'),
  );
  assert.equal(
    nextDueTime(scheduleOf('r1/2026-07-01t00:00:00.250z/pt1h'), 0),
    Date.parse('2026-07-01T00:00:00.250Z'),
  );
});

test('bad ISO intervals are rejected with sentences naming the part', () => {
  assert.match(
    errorsOf('R/2026-01-01T00:00:00Z')[0] ?? '',
    /must have the form R\[n\]\/<start>\/<period>/,
  );
  assert.match(errorsOf('Rx/2026-01-01T00:00:00Z/PT1H')[0] ?? '', /repetition 'RX' must be R/);
  assert.match(errorsOf('R-2/2026-01-01T00:00:00Z/PT1H')[0] ?? '', /repetition 'R-2'/);
  assert.match(errorsOf('R/2026-13-01T00:00:00Z/PT1H')[0] ?? '', /month 13 is not 01-12/);
  assert.match(
    errorsOf('R/2026-02-30T00:00:00Z/PT1H')[0] ?? '',
    /day 30 does not exist in 2026-02/,
  );
  assert.match(errorsOf('R/2026-01-01T24:00:00Z/PT1H')[0] ?? '', /hour 24 is not 00-23/);
  assert.match(
    errorsOf('R/yesterday/PT1H')[0] ?? '',
    /start 'YESTERDAY' is not an ISO 8601 date-time/,
  );
  assert.match(
    errorsOf('R/2026-01-01T00:00:00+19:00/PT1H')[0] ?? '',
    /offset \+19:00 is out of range/,
  );
  assert.match(
    errorsOf('R/2026-01-01T00:00:00Z/P')[0] ?? '',
    /period 'P' is not an ISO 8601 duration/,
  );
  assert.match(errorsOf('R/2026-01-01T00:00:00Z/PT')[0] ?? '', /period 'PT' is not/);
  assert.match(errorsOf('R/2026-01-01T00:00:00Z/1H')[0] ?? '', /period '1H' is not/);
  assert.match(
    errorsOf('R/2026-01-01T00:00:00Z/PT1.5H')[0] ?? '',
    /fractional durations are not supported/,
  );
  assert.match(errorsOf('R/2026-01-01T00:00:00Z/PT0S')[0] ?? '', /is zero/);
  assert.equal(errorsOf('R/2026-99-01T00:00:00Z/P', 'Bad/Zone').length, 3);
});
