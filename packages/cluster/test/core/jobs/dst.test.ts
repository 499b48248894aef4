import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextDueTime, nextTimes, scheduleOf } from './schedule-helpers.js';

/**
 * The daylight-saving rule of schedule.ts, with exact instants. These tests, not croner, are the
 * reference on transition days: croner (like Vixie cron) fires "interval" jobs twice in a
 * repeated hour and skips them in a gap, where our rule fires each wall-clock time once.
 *
 * 2026 transitions used here:
 * - America/New_York: 8 March 07:00Z, 02:00 EST → 03:00 EDT; 1 November 06:00Z, 02:00 EDT → 01:00 EST.
 * - Europe/Berlin: 29 March 01:00Z, 02:00 CET → 03:00 CEST; 25 October 01:00Z, 03:00 CEST → 02:00 CET.
 * - Australia/Sydney (southern hemisphere, DST ends in April): 4 April 16:00Z, 03:00 AEDT → 02:00 AEST;
 *   3 October 16:00Z, 02:00 AEST → 03:00 AEDT.
 */

describe('America/New_York spring forward (02:00-02:59 does not exist on 8 March)', () => {
  const timezone = 'America/New_York';

  test('a daily job at a skipped time runs once, at 03:00 EDT, then returns to 02:30', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 2 * * *', timezone, fromIso: '2026-03-07T00:00:00Z', count: 3 }),
      ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '0 2 * * *', timezone, fromIso: '2026-03-08T00:00:00Z', count: 1 }),
      ['2026-03-08T07:00:00.000Z'],
    );
  });

  test('every 15 minutes: all skipped times collapse into one run at 03:00 EDT', () => {
    assert.deepEqual(
      nextTimes({ cron: '*/15 * * * *', timezone, fromIso: '2026-03-08T06:30:00Z', count: 4 }),
      [
        '2026-03-08T06:45:00.000Z',
        '2026-03-08T07:00:00.000Z',
        '2026-03-08T07:15:00.000Z',
        '2026-03-08T07:30:00.000Z',
      ],
    );
  });

  test('every 10 minutes inside the gap only (02:00-02:50): one run at 03:00 EDT', () => {
    assert.deepEqual(
      nextTimes({ cron: '*/10 2 * * *', timezone, fromIso: '2026-03-07T12:00:00Z', count: 2 }),
      ['2026-03-08T07:00:00.000Z', '2026-03-09T06:00:00.000Z'],
    );
  });

  test('hourly: 01:00 EST, then 03:00 EDT (02:00 collapsed into it), then 04:00 EDT', () => {
    assert.deepEqual(
      nextTimes({ cron: '0 * * * *', timezone, fromIso: '2026-03-08T05:30:00Z', count: 3 }),
      ['2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z'],
    );
  });
});

describe('America/New_York fall back (01:00-01:59 occurs twice on 1 November)', () => {
  const timezone = 'America/New_York';

  test('a daily job at a repeated time runs once, at the first (EDT) occurrence', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 1 * * *', timezone, fromIso: '2026-10-31T00:00:00Z', count: 3 }),
      ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    );
  });

  test('asked during the second pass, the repeated time is not run again', () => {
    const daily = scheduleOf('30 1 * * *', timezone);
    // 06:40Z is 01:40 EST, in the second pass; 01:30 already ran at 05:30Z.
    assert.equal(
      nextDueTime(daily, Date.parse('2026-11-01T06:10:00Z')),
      Date.parse('2026-11-02T06:30:00Z'),
    );
    const quarterly = scheduleOf('*/15 * * * *', timezone);
    assert.equal(
      nextDueTime(quarterly, Date.parse('2026-11-01T06:10:00Z')),
      Date.parse('2026-11-01T07:00:00Z'),
    );
  });

  test('hourly: each wall-clock hour once, so 01:00 EDT is followed by 02:00 EST', () => {
    assert.deepEqual(
      nextTimes({ cron: '0 * * * *', timezone, fromIso: '2026-11-01T03:30:00Z', count: 4 }),
      [
        '2026-11-01T04:00:00.000Z',
        '2026-11-01T05:00:00.000Z',
        '2026-11-01T07:00:00.000Z',
        '2026-11-01T08:00:00.000Z',
      ],
    );
  });

  test('every 15 minutes pauses through the repeated hour', () => {
    assert.deepEqual(
      nextTimes({ cron: '*/15 * * * *', timezone, fromIso: '2026-11-01T05:20:00Z', count: 4 }),
      [
        '2026-11-01T05:30:00.000Z',
        '2026-11-01T05:45:00.000Z',
        '2026-11-01T07:00:00.000Z',
        '2026-11-01T07:15:00.000Z',
      ],
    );
  });

  test('a time after the repeated hour is unaffected', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 2 * * *', timezone, fromIso: '2026-11-01T00:00:00Z', count: 1 }),
      ['2026-11-01T07:30:00.000Z'],
    );
  });
});

describe('Europe/Berlin', () => {
  const timezone = 'Europe/Berlin';

  test('spring forward on 29 March: 02:30 runs at 03:00 CEST', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 2 * * *', timezone, fromIso: '2026-03-28T12:00:00Z', count: 2 }),
      ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '*/15 * * * *', timezone, fromIso: '2026-03-29T00:30:00Z', count: 3 }),
      ['2026-03-29T00:45:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:15:00.000Z'],
    );
  });

  test('fall back on 25 October: 02:30 runs once in CEST; hourly skips the second 02:00', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 2 * * *', timezone, fromIso: '2026-10-24T12:00:00Z', count: 2 }),
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '0 * * * *', timezone, fromIso: '2026-10-24T23:30:00Z', count: 3 }),
      ['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '*/15 * * * *', timezone, fromIso: '2026-10-25T00:40:00Z', count: 3 }),
      ['2026-10-25T00:45:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T02:15:00.000Z'],
    );
  });
});

describe('Australia/Sydney (southern hemisphere)', () => {
  const timezone = 'Australia/Sydney';

  test('fall back on 5 April local: 02:30 runs at its first (AEDT) occurrence', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 2 * * *', timezone, fromIso: '2026-04-04T00:00:00Z', count: 2 }),
      ['2026-04-04T15:30:00.000Z', '2026-04-05T16:30:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '0 * * * *', timezone, fromIso: '2026-04-04T14:30:00Z', count: 3 }),
      ['2026-04-04T15:00:00.000Z', '2026-04-04T17:00:00.000Z', '2026-04-04T18:00:00.000Z'],
    );
  });

  test('spring forward on 4 October local: 02:30 runs at 03:00 AEDT; hourly collapses 02:00', () => {
    assert.deepEqual(
      nextTimes({ cron: '30 2 * * *', timezone, fromIso: '2026-10-03T00:00:00Z', count: 2 }),
      ['2026-10-03T16:00:00.000Z', '2026-10-04T15:30:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '0 * * * *', timezone, fromIso: '2026-10-03T14:30:00Z', count: 3 }),
      ['2026-10-03T15:00:00.000Z', '2026-10-03T16:00:00.000Z', '2026-10-03T17:00:00.000Z'],
    );
    assert.deepEqual(
      nextTimes({ cron: '*/15 * * * *', timezone, fromIso: '2026-10-03T15:40:00Z', count: 3 }),
      ['2026-10-03T15:45:00.000Z', '2026-10-03T16:00:00.000Z', '2026-10-03T16:15:00.000Z'],
    );
  });
});

test('a zone with a 30-minute DST shift (Australia/Lord_Howe) follows the same rule', () => {
  // 4 October 2026 local: 02:00 → 02:30 (+10:30 → +11:00) at 15:30Z on 3 October; 02:15 is skipped.
  assert.deepEqual(
    nextTimes({
      cron: '15 2 * * *',
      timezone: 'Australia/Lord_Howe',
      fromIso: '2026-10-03T00:00:00Z',
      count: 2,
    }),
    ['2026-10-03T15:30:00.000Z', '2026-10-04T15:15:00.000Z'],
  );
});
