import assert from 'node:assert/strict';
// Every test in this folder imports the schedule API through this one file.
import {
  dueTimesBetween,
  parseSchedule,
  type ParsedSchedule,
} from '../../../src/core/jobs/schedule.js';
export {
  dueTimesBetween,
  nextDueTime,
  parseSchedule,
  type ParsedSchedule,
} from '../../../src/core/jobs/schedule.js';

/** Parses a spec that the test expects to be valid, failing with the parser's sentences if not. */
export function scheduleOf(cron: string, timezone?: string): ParsedSchedule {
  const result = parseSchedule(timezone === undefined ? { cron } : { cron, timezone });
  if (!result.ok)
    assert.fail(`'${cron}' (${timezone ?? 'UTC'}) should parse: ${result.errors.join('; ')}`);
  return result.schedule;
}

/** The next `count` due times after `fromIso`, as ISO strings in UTC, for readable assertions. */
export function nextTimes(options: {
  cron: string;
  timezone?: string;
  fromIso: string;
  count: number;
}): string[] {
  const schedule = scheduleOf(options.cron, options.timezone);
  return dueTimesBetween(
    schedule,
    Date.parse(options.fromIso),
    Number.MAX_SAFE_INTEGER,
    options.count,
  ).map((ms) => new Date(ms).toISOString());
}

/** The errors for a spec the test expects to be rejected. */
export function errorsOf(cron: string, timezone?: string): string[] {
  const result = parseSchedule(timezone === undefined ? { cron } : { cron, timezone });
  if (result.ok) assert.fail(`'${cron}' should be rejected`);
  return result.errors;
}
