import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorsOf, parseSchedule, scheduleOf } from './schedule-helpers.js';

function fieldsOf(cron: string) {
  const schedule = scheduleOf(cron);
  assert.equal(schedule.kind, 'cron');
  if (schedule.kind !== 'cron') throw new Error('unreachable');
  return schedule.fields;
}

test("five fields match every year; a sixth field is the year, Metronome's cron-utils definition", () => {
  const five = fieldsOf('5 4 * * *');
  assert.equal(five.years, undefined);
  assert.deepEqual(five.minutes, [5]);
  assert.deepEqual(five.hours, [4]);
  const six = fieldsOf('20 5 4 * * 2030,2032-2033');
  assert.deepEqual(six.years, [2030, 2032, 2033]);
  assert.deepEqual(six.minutes, [20]);
  assert.deepEqual(six.hours, [5]);
  assert.deepEqual(six.daysOfMonth, [4]);
  assert.equal(fieldsOf('0 0 * * * *').years, undefined);
  assert.deepEqual(fieldsOf('0 0 1 1 * 2030/5').years?.slice(0, 3), [2030, 2035, 2040]);
  // A Quartz expression with leading seconds is not read as one: its `?` is no year.
  assert.match(errorsOf('0 0 12 * * ?')[0] ?? '', /^year field '\?'/);
});

test('ranges, lists, steps over *, ranges and single starts', () => {
  const fields = fieldsOf('0-10/5,30 1-3,22 */10 * *');
  assert.deepEqual(fields.minutes, [0, 5, 10, 30]);
  assert.deepEqual(fields.hours, [1, 2, 3, 22]);
  assert.deepEqual(fields.daysOfMonth, [1, 11, 21, 31]);
  // `a/n` means a through the maximum, stepping n (cronie's reading).
  assert.deepEqual(fieldsOf('50/3 * * * *').minutes, [50, 53, 56, 59]);
  // A step larger than the range keeps the first value.
  assert.deepEqual(fieldsOf('5-10/30 * * * *').minutes, [5]);
});

test('month and day names, case-insensitive, and 7 as Sunday', () => {
  const fields = fieldsOf('0 0 * jan,Mar-MAY/2,dec mon-wed,Fri,7');
  assert.deepEqual(fields.months, [1, 3, 5, 12]);
  assert.deepEqual(fields.daysOfWeek, [0, 1, 2, 3, 5]);
  assert.deepEqual(fieldsOf('0 0 * * 5-7').daysOfWeek, [0, 5, 6]);
  assert.deepEqual(fieldsOf('0 0 * * SUN').daysOfWeek, [0]);
});

test('macros expand to their crontab(5) meanings', () => {
  const expansions: Record<string, string> = {
    '@yearly': '0 0 1 1 *',
    '@annually': '0 0 1 1 *',
    '@monthly': '0 0 1 * *',
    '@weekly': '0 0 * * 0',
    '@daily': '0 0 * * *',
    '@midnight': '0 0 * * *',
    '@hourly': '0 * * * *',
  };
  for (const [macro, expansion] of Object.entries(expansions)) {
    assert.deepEqual(fieldsOf(macro), fieldsOf(expansion), macro);
  }
  assert.deepEqual(fieldsOf('@DAILY'), fieldsOf('0 0 * * *'));
});

test('a day of month that exists in none of the months is refused (Metronome refuses it too)', () => {
  assert.match(errorsOf('0 0 30 2 *')[0] ?? '', /never meet: .*30 February/);
  assert.match(errorsOf('0 0 31 4,6,9,11 *')[0] ?? '', /never meet/);
  assert.match(errorsOf('0 0 30-31 FEB MON')[0] ?? '', /never meet/);
  assert.equal(fieldsOf('0 0 29 2 *').daysOfMonth[0], 29);
  assert.equal(fieldsOf('0 0 31 2,3 *').daysOfMonth[0], 31);
});

test('the wrong number of fields is named', () => {
  assert.match(errorsOf('* * * *')[0] ?? '', /has 4 fields; expected 5 .* or 6/);
  assert.match(errorsOf('* * * * * * *')[0] ?? '', /has 7 fields/);
  assert.match(errorsOf('   ')[0] ?? '', /non-empty/);
});

test('out-of-range values name the field, the value and the range', () => {
  assert.deepEqual(errorsOf('61 * * * *'), ["minute field '61' is out of range 0-59"]);
  assert.deepEqual(errorsOf('0 24 * * *'), ["hour field '24' is out of range 0-23"]);
  assert.deepEqual(errorsOf('0 0 0 * *'), ["day-of-month field '0' is out of range 1-31"]);
  assert.deepEqual(errorsOf('0 0 1 13 *'), ["month field '13' is out of range 1-12"]);
  assert.deepEqual(errorsOf('0 0 * * 8'), ["day-of-week field '8' is out of range 0-7"]);
  assert.deepEqual(errorsOf('0 0 * * * 10000'), ["year field '10000' is out of range 0-9999"]);
  assert.deepEqual(errorsOf('0 0-99 * * *'), ["hour field '99' is out of range 0-23"]);
});

test('every bad field is reported, not just the first', () => {
  const errors = errorsOf('61 25 * FOO *');
  assert.equal(errors.length, 3);
  assert.match(errors[2] ?? '', /month field 'FOO' is not a number or a name JAN-DEC/);
});

test('malformed items: backwards ranges, zero steps, empty list items, stray text', () => {
  assert.match(
    errorsOf('0 22-2 * * *')[0] ?? '',
    /hour field range '22-2' runs backwards.*'22-23,0-2'/,
  );
  assert.match(errorsOf('0 0 * * FRI-MON')[0] ?? '', /'FRI-SAT,SUN-MON'/);
  assert.match(errorsOf('*/0 * * * *')[0] ?? '', /minute field step '\*\/0' must be at least 1/);
  assert.match(errorsOf('*/x * * * *')[0] ?? '', /must be a whole number/);
  assert.match(errorsOf('1,,2 * * * *')[0] ?? '', /empty list item/);
  assert.match(errorsOf('1-2-3 * * * *')[0] ?? '', /more than one '-'/);
  assert.match(errorsOf('MON * * * *')[0] ?? '', /minute field 'MON' is not a number$/);
  assert.match(errorsOf('0 0 * * MONDAY')[0] ?? '', /is not a number or a name SUN-SAT/);
});

test("L, W and # are day-field items as in Metronome's definition; '?' and misplaced ones are refused", () => {
  const fields = fieldsOf('0 0 1,L,LW,15W,L-2 * 5#2,FRIL,7L');
  assert.deepEqual(fields.daysOfMonth, [1]);
  assert.deepEqual(fields.dayOfMonthRules, [
    { kind: 'last-day', offset: 0 },
    { kind: 'last-weekday' },
    { kind: 'nearest-weekday', day: 15 },
    { kind: 'last-day', offset: 2 },
  ]);
  assert.deepEqual(fields.daysOfWeek, []);
  assert.deepEqual(fields.dayOfWeekRules, [
    { kind: 'nth-weekday', weekday: 5, nth: 2 },
    { kind: 'last-of-weekday', weekday: 5 },
    { kind: 'last-of-weekday', weekday: 0 },
  ]);
  assert.match(
    errorsOf('0 0 ? * MON')[0] ?? '',
    /'\?', which Metronome's cron does not accept; write '\*'/,
  );
  assert.match(
    errorsOf('L 0 * * *')[0] ?? '',
    /minute field 'L' uses 'L', which only the day fields accept/,
  );
  assert.match(errorsOf('0 0 * * 15W')[0] ?? '', /only the day-of-month field accepts/);
  assert.match(errorsOf('0 0 5#2 * *')[0] ?? '', /only the day-of-week field accepts/);
  assert.match(errorsOf('0 0 * * L')[0] ?? '', /needs a weekday before L/);
  assert.match(errorsOf('0 0 * * 5#6')[0] ?? '', /occurrence out of range 1-5/);
  assert.match(errorsOf('0 0 * * 8#1')[0] ?? '', /day-of-week field '8' is out of range 0-7/);
  assert.match(errorsOf('0 0 32W * *')[0] ?? '', /out of range 1-31 before W/);
  assert.match(errorsOf('0 0 L-31 * *')[0] ?? '', /counts back 1-30 days/);
  assert.match(errorsOf('0 0 L/2 * *')[0] ?? '', /uses 'L'/);
  // A nearest weekday still needs its day to exist in some month listed.
  assert.match(errorsOf('0 0 30W 2 *')[0] ?? '', /never meet/);
  assert.equal(fieldsOf('0 0 L 2 *').dayOfMonthRules.length, 1);
});

test('unknown macros and @reboot are rejected', () => {
  assert.match(errorsOf('@reboot')[0] ?? '', /runs at start-up/);
  assert.match(errorsOf('@fortnightly')[0] ?? '', /not a known macro; supported macros: @yearly/);
});

test('time zones are validated with Intl and canonicalized; UTC is the default', () => {
  assert.equal(scheduleOf('0 0 * * *').timezone, 'UTC');
  assert.equal(scheduleOf('0 0 * * *', 'europe/berlin').timezone, 'Europe/Berlin');
  assert.deepEqual(errorsOf('0 0 * * *', 'Mars/Olympus_Mons'), [
    `timezone 'Mars/Olympus_Mons' is not a known IANA time zone name (e.g. "UTC", "Europe/Berlin")`,
  ]);
  // A bad zone and a bad expression are reported together.
  assert.equal(errorsOf('99 * * * *', 'Nowhere/Land').length, 2);
});

test('parseSchedule never throws, whatever arrives from JSON', () => {
  const inputs: unknown[] = [
    undefined,
    null,
    {},
    { cron: 5 },
    { cron: '* * * * *', timezone: 7 },
    { cron: 'x'.repeat(10_000) },
  ];
  for (const input of inputs) {
    const result = parseSchedule(input as { cron: string });
    assert.equal(result.ok, false, JSON.stringify(input));
  }
});

test('the parsed schedule is frozen', () => {
  const schedule = scheduleOf('0 0 * * *');
  assert.equal(Object.isFrozen(schedule), true);
  if (schedule.kind === 'cron') assert.equal(Object.isFrozen(schedule.fields.minutes), true);
});
