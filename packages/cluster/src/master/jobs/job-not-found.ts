import type { ExoError } from '@exosphere/common';
import { JobErrors } from '../master-errors.js';

/**
 * The 404s of the jobs API, in Metronome's bodies (its UnknownJob, UnknownSchedule and
 * UnknownJobRun): a fixed message and the ids asked for as their own keys, which clients read,
 * plus the stable `code` every error here carries.
 */
export function jobNotFound(jobId: string): ExoError {
  return JobErrors.create('EXO_JOB_NOT_FOUND', 'Job not found', { data: { id: jobId } });
}

export function scheduleNotFound(scheduleId: string): ExoError {
  return JobErrors.create('EXO_SCHEDULE_NOT_FOUND', 'Schedule not found', {
    data: { id: scheduleId },
  });
}

export function runNotFound(jobId: string, runId: string): ExoError {
  return JobErrors.create('EXO_RUN_NOT_FOUND', 'Job Run not found', {
    data: { jobSpec: jobId, id: runId },
  });
}
