import type { JobDefinition } from '../../core/jobs/job-definition.js';
import type { StateStore } from '../store/state-store.js';
import {
  jobKeys,
  type DagProgress,
  type JobHistory,
  type RunRecord,
  type ScheduleRecord,
} from './job-model.js';

/** The jobs part of the master's in-memory state (loaded from the store at start). */
export class JobState {
  readonly jobs = new Map<string, JobDefinition>();
  /** Schedules by job id, then schedule id. */
  readonly schedules = new Map<string, Map<string, ScheduleRecord>>();
  /** Runs not finished yet. */
  readonly runs = new Map<string, RunRecord>();
  readonly histories = new Map<string, JobHistory>();
  readonly dag = new Map<string, DagProgress>();

  static async load(store: StateStore): Promise<JobState> {
    const state = new JobState();
    for (const { value } of await store.list(jobKeys.jobPrefix)) {
      const job = value as JobDefinition;
      state.jobs.set(job.id, job);
    }
    for (const { value } of await store.list(jobKeys.schedulePrefix)) {
      const record = value as ScheduleRecord;
      state.schedulesOf(record.jobId).set(record.schedule.id, record);
    }
    for (const { value } of await store.list(jobKeys.runPrefix)) {
      const run = value as RunRecord;
      state.runs.set(run.id, run);
    }
    for (const { value } of await store.list(jobKeys.historyPrefix)) {
      const history = value as JobHistory;
      state.histories.set(history.jobId, history);
    }
    for (const { value } of await store.list(jobKeys.dagPrefix)) {
      const progress = value as DagProgress;
      state.dag.set(progress.jobId, progress);
    }
    return state;
  }

  schedulesOf(jobId: string): Map<string, ScheduleRecord> {
    let map = this.schedules.get(jobId);
    if (!map) {
      map = new Map();
      this.schedules.set(jobId, map);
    }
    return map;
  }

  historyOf(jobId: string): JobHistory {
    let history = this.histories.get(jobId);
    if (!history) {
      history = {
        jobId,
        successCount: 0,
        failureCount: 0,
        missedCount: 0,
        successfulFinishedRuns: [],
        failedFinishedRuns: [],
        missedRuns: [],
      };
      this.histories.set(jobId, history);
    }
    return history;
  }

  activeRunsOf(jobId: string): RunRecord[] {
    return [...this.runs.values()]
      .filter((r) => r.jobId === jobId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** Jobs that list `jobId` among their dependencies. */
  dependentsOf(jobId: string): JobDefinition[] {
    return [...this.jobs.values()].filter((j) => j.dependencies.some((d) => d.id === jobId));
  }
}
