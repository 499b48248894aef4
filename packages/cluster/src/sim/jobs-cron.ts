import type { Random } from '@exosphere/common';

/**
 * Random 5-field cron expressions for the job simulations, with steps, ranges and lists in every
 * field, biased to fire between a few times a day and a few times a month so that a simulated
 * year gives each schedule tens to hundreds of due times. One class aims at the hours around
 * midnight and 01:00-03:00, where DST changes happen.
 *
 * When both day fields are restricted a day must match both (Metronome's rule, cron-match.ts);
 * the tests' croner reference is told so with `domAndDow`.
 */
export const simulationTimeZones = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'America/Santiago',
  'Asia/Kolkata',
  'Europe/London',
  'America/Los_Angeles',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'Africa/Cairo',
  'Asia/Tokyo',
] as const;

function pick<T>(random: Random, values: readonly T[]): T {
  return values[random.int(values.length)]!;
}

function distinctSorted(random: Random, count: number, bound: number, minimum = 0): number[] {
  const values = new Set<number>();
  while (values.size < count) values.add(minimum + random.int(bound - minimum));
  return [...values].sort((a, b) => a - b);
}

function minuteField(random: Random): string {
  switch (random.int(5)) {
    case 0:
      return distinctSorted(random, 2, 60).join(',');
    case 1: {
      const start = random.int(30);
      return `${start}-${start + 10 + random.int(20)}/${pick(random, [10, 15, 20])}`;
    }
    default:
      return String(random.int(60));
  }
}

function hoursField(random: Random): string {
  switch (random.int(4)) {
    case 0:
      return `*/${pick(random, [3, 4, 6, 8, 12])}`;
    case 1: {
      const start = random.int(8);
      return `${start}-${start + 8 + random.int(8)}/${pick(random, [2, 3, 4])}`;
    }
    case 2: {
      const start = random.int(20);
      return `${start}-${start + 1 + random.int(3)}`;
    }
    default:
      return distinctSorted(random, 2 + random.int(3), 24).join(',');
  }
}

function singleHour(random: Random): string {
  return random.int(3) === 0 ? distinctSorted(random, 2, 24).join(',') : String(random.int(24));
}

/** A random cron expression (5 fields: minute hour day-of-month month day-of-week). */
export function randomCron(random: Random): string {
  const kind = random.int(100);
  if (kind < 25) {
    // Several times a day.
    const dow = pick(random, ['*', '*', '1-5', '0,6', '1-6/2']);
    return `${minuteField(random)} ${hoursField(random)} * * ${dow}`;
  }
  if (kind < 45) {
    // About daily.
    const dow = pick(random, ['*', '1-5', '1,3,5', '2-4']);
    const month = pick(random, ['*', '*', '*/2', '3-10']);
    return `${minuteField(random)} ${singleHour(random)} * ${month} ${dow}`;
  }
  if (kind < 60) {
    // Weekly.
    const dow =
      random.int(2) === 0 ? String(random.int(7)) : distinctSorted(random, 2, 7).join(',');
    return `${random.int(60)} ${singleHour(random)} * * ${dow}`;
  }
  if (kind < 75) {
    // A few times a month.
    const dom = pick(random, [
      String(1 + random.int(28)),
      distinctSorted(random, 2, 29, 1).join(','),
      `${1 + random.int(7)}-${10 + random.int(10)}/${pick(random, [3, 5, 7])}`,
      '*/10',
      '1-7',
      '29-31',
    ]);
    const month = pick(random, ['*', '*', '*/3', '1-6', '2,5,8,11']);
    return `${random.int(60)} ${singleHour(random)} ${dom} ${month} *`;
  }
  if (kind < 85) {
    // Both day fields restricted: a day must match both.
    const dom = pick(random, [
      String(1 + random.int(28)),
      `${1 + random.int(10)}-${15 + random.int(10)}/7`,
      '13',
    ]);
    const dow = pick(random, ['5', '1', '0,3', '2-3']);
    return `${random.int(60)} ${singleHour(random)} ${dom} * ${dow}`;
  }
  // Around the DST changes: between 23:00 and 03:59, often.
  const minute = pick(random, ['*/15', '*/20', '0,30', '*/30', String(random.int(60)), '5-55/25']);
  const hours = pick(random, ['1-3', '2', '0-2', '23,0-1', '2-3', '1,2', '0', '23']);
  const dow = pick(random, ['*', '*', '0', '0,6']);
  return `${minute} ${hours} * * ${dow}`;
}
