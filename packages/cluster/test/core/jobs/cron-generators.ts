import fc from 'fast-check';
import { parseSchedule } from './schedule-helpers.js';

/**
 * Random cron expressions for property and performance tests. Expressions whose day of month
 * exists in none of their months (30 February) are refused by the parser, so they are left out.
 */

function fieldArbitrary(options: {
  min: number;
  max: number;
  starSteps: boolean;
}): fc.Arbitrary<string> {
  const { min, max, starSteps } = options;
  const value = fc.integer({ min, max });
  const range = fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
  const step = fc.integer({ min: 1, max: Math.max(1, Math.floor((max - min) / 2)) });
  const item = fc.oneof(
    value.map(String),
    range,
    fc.tuple(range, step).map(([r, s]) => `${r}/${s}`),
  );
  const choices = [
    fc.constant('*'),
    item,
    fc.array(item, { minLength: 2, maxLength: 3 }).map((items) => items.join(',')),
  ];
  if (starSteps) choices.push(step.map((s) => `*/${s}`));
  return fc.oneof(...choices);
}

/**
 * A day field, sometimes with month-dependent items (L, W, #: cron-days.ts) alone or added to
 * its list; a field that is `*` or stepped stays as it is, as an item list is what takes them.
 */
function withDayRules(
  field: fc.Arbitrary<string>,
  rule: fc.Arbitrary<string>,
): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: field },
    {
      weight: 1,
      arbitrary: fc.array(rule, { minLength: 1, maxLength: 2 }).map((r) => r.join(',')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(field, rule)
        .map(([items, extra]) => (items.startsWith('*') ? items : `${items},${extra}`)),
    },
  );
}

const monthNames = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];

export const cronExpressionArbitrary: fc.Arbitrary<string> = fc
  .record({
    withYear: fc.boolean(),
    year: fieldArbitrary({ min: 2000, max: 2040, starSteps: true }),
    minute: fieldArbitrary({ min: 0, max: 59, starSteps: true }),
    hour: fieldArbitrary({ min: 0, max: 23, starSteps: true }),
    // LW stands alone: croner, the tests' reference, refuses it in a list.
    dayOfMonth: fc.oneof(
      {
        weight: 9,
        arbitrary: withDayRules(
          fieldArbitrary({ min: 1, max: 31, starSteps: true }),
          fc.oneof(
            fc.constant('L'),
            fc.integer({ min: 1, max: 31 }).map((day) => `${day}W`),
          ),
        ),
      },
      { weight: 1, arbitrary: fc.constant('LW') },
    ),
    month: fc.oneof(
      fieldArbitrary({ min: 1, max: 12, starSteps: true }),
      fc.integer({ min: 0, max: 11 }).map((index) => monthNames[index] ?? 'JAN'),
    ),
    dayOfWeek: withDayRules(
      fieldArbitrary({ min: 0, max: 7, starSteps: true }),
      fc.oneof(
        fc
          .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 5 }))
          .map(([day, nth]) => `${day}#${nth}`),
        fc.integer({ min: 0, max: 7 }).map((day) => `${day}L`),
      ),
    ),
  })
  .map((fields) => {
    const five = [
      fields.minute,
      fields.hour,
      fields.dayOfMonth,
      fields.month,
      fields.dayOfWeek,
    ].join(' ');
    return fields.withYear ? `${five} ${fields.year}` : five;
  })
  .filter((cron) => parseSchedule({ cron }).ok);

/** Zones with and without DST, in both hemispheres, with 30- and 45-minute offsets. */
export const timeZones = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Europe/Berlin',
  'Europe/London',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
] as const;

export const timeZoneArbitrary: fc.Arbitrary<string> = fc.constantFrom(...timeZones);

/** The years a year field lists (`*`, `n`, `a-b`, `a-b/s`, `*\/s`, lists), read independently of the parser for the croner references. */
export function yearsOf(field: string): Set<number> | undefined {
  if (field === '*') return undefined;
  const years = new Set<number>();
  for (const item of field.split(',')) {
    const [base = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] = base === '*' ? [0, 9999] : base.split('-').map(Number);
    const last = to ?? (stepText === undefined ? from! : 9999);
    for (let year = from!; year <= last; year += step) years.add(year);
  }
  return years;
}

export function yearIn(timeZone: string, instantMs: number): number {
  const text = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(instantMs);
  return Number(text);
}
