import type { FieldError } from '@exosphere/common';
import { findDependencyCycle } from '../../core/deployment-plan.js';
import type { JobDefinition, ScheduleDefinition } from '../../core/jobs/job-definition.js';
import { validateJob, validateSchedule } from '../../core/jobs/job-validation.js';
import { nextDueTime, parseSchedule } from '../../core/jobs/schedule.js';
import type { MasterContext } from '../context.js';
import { JobErrors } from '../master-errors.js';
import { jobNotFound, scheduleNotFound } from './job-not-found.js';
import type { StoreOperation } from '../store/state-store.js';
import { jobKeys, type ScheduleRecord } from './job-model.js';
import { stopRun } from './run-lifecycle.js';

/**
 * Job and schedule writes. Each validates fully, then commits in one store transaction and
 * only then changes memory, so a rejected write changes nothing.
 */
export class JobService {
  constructor(private readonly context: MasterContext) {}

  private get jobs() {
    return this.context.state.jobs;
  }

  require(id: string): JobDefinition {
    const job = this.jobs.jobs.get(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  async create(raw: unknown): Promise<JobDefinition> {
    const { job, schedules } = this.validated(raw);
    if (this.jobs.jobs.has(job.id))
      throw JobErrors.create('EXO_JOB_EXISTS', `Job with id '${job.id}' already exists`);
    this.checkCycle(job);
    const records = (schedules ?? []).map((schedule) => this.newScheduleRecord(job.id, schedule));
    await this.context.persist([
      { type: 'put', key: jobKeys.job(job.id), value: job },
      ...records.map((r) => ({
        type: 'put' as const,
        key: jobKeys.schedule(job.id, r.schedule.id),
        value: r,
      })),
    ]);
    this.jobs.jobs.set(job.id, job);
    for (const record of records) this.jobs.schedulesOf(job.id).set(record.schedule.id, record);
    this.context.wake();
    return job;
  }

  /**
   * PUT /v1/jobs/{id}: replaces the definition of an existing job (a missing one is a 404 after
   * the body is validated, as Metronome's updateJob answers). Schedules are managed under
   * /v1/jobs/{id}/schedules, so those in the body are validated and ignored; Metronome's v0 PUT
   * (`schedules: 'replace'`) replaces them with the body's, none when it has none. Active runs
   * keep the definition they started with.
   */
  async replace(
    id: string,
    raw: unknown,
    options: { schedules: 'keep' | 'replace' },
  ): Promise<JobDefinition> {
    const validated = this.validated(raw, id);
    const { job } = validated;
    this.require(id);
    const schedules = options.schedules === 'replace' ? (validated.schedules ?? []) : undefined;
    const keptCount = schedules?.length ?? this.jobs.schedulesOf(id).size;
    if (keptCount > 0 && job.dependencies.length > 0) {
      throw invalidJob([
        { path: '/dependencies', errors: ['a job has either schedules or dependencies, not both'] },
      ]);
    }
    this.checkCycle(job);
    const operations: StoreOperation[] = [{ type: 'put', key: jobKeys.job(job.id), value: job }];
    let records: ScheduleRecord[] | undefined;
    if (schedules !== undefined) {
      for (const existing of this.jobs.schedulesOf(id).keys())
        operations.push({ type: 'delete', key: jobKeys.schedule(id, existing) });
      records = schedules.map((s) => this.keepOrNewScheduleRecord(id, s));
      for (const r of records)
        operations.push({ type: 'put', key: jobKeys.schedule(id, r.schedule.id), value: r });
    }
    await this.context.persist(operations);
    this.jobs.jobs.set(job.id, job);
    if (records) {
      const map = this.jobs.schedulesOf(id);
      map.clear();
      for (const r of records) map.set(r.schedule.id, r);
    }
    this.context.wake();
    return job;
  }

  async remove(id: string, options: { stopCurrentJobRuns: boolean }): Promise<void> {
    this.require(id);
    const dependents = this.jobs.dependentsOf(id).map((j) => j.id);
    if (dependents.length > 0) {
      throw JobErrors.create(
        'EXO_JOB_HAS_DEPENDENTS',
        `Jobs ${dependents.join(', ')} depend on '${id}'; change them first`,
      );
    }
    const active = this.jobs.activeRunsOf(id);
    if (active.length > 0 && !options.stopCurrentJobRuns) {
      throw JobErrors.create(
        'EXO_JOB_HAS_ACTIVE_RUNS',
        `Job '${id}' has ${active.length} active run(s); pass stopCurrentJobRuns=true to stop them`,
      );
    }
    const operations: StoreOperation[] = [
      { type: 'delete', key: jobKeys.job(id) },
      { type: 'delete', key: jobKeys.history(id) },
      { type: 'delete', key: jobKeys.dag(id) },
    ];
    for (const scheduleId of this.jobs.schedulesOf(id).keys())
      operations.push({ type: 'delete', key: jobKeys.schedule(id, scheduleId) });
    for (const run of active) operations.push(...stopRun(this.context, run, 'the job was removed'));
    await this.context.persist(operations);
    this.jobs.jobs.delete(id);
    this.jobs.schedules.delete(id);
    this.jobs.histories.delete(id);
    this.jobs.dag.delete(id);
    this.context.wake();
  }

  async addSchedule(jobId: string, raw: unknown): Promise<ScheduleRecord> {
    const job = this.require(jobId);
    const schedule = this.validatedSchedule(raw);
    // Metronome's createSchedule answers these two conflicts, in this order, with these words.
    const existing = this.jobs.schedulesOf(jobId);
    if (existing.has(schedule.id)) {
      throw JobErrors.create(
        'EXO_SCHEDULE_EXISTS',
        `A schedule with id ${schedule.id} already exists`,
      );
    }
    if (existing.size > 0)
      throw JobErrors.create('EXO_SCHEDULE_LIMIT', 'Only one schedule supported at the moment');
    if (job.dependencies.length > 0) {
      throw JobErrors.create(
        'EXO_SCHEDULE_INVALID',
        'a job with dependencies runs after its parents and cannot have schedules',
        {
          details: [{ path: '/', errors: ['the job has dependencies'] }],
        },
      );
    }
    const record = this.newScheduleRecord(jobId, schedule);
    await this.context.persist([
      { type: 'put', key: jobKeys.schedule(jobId, schedule.id), value: record },
    ]);
    this.jobs.schedulesOf(jobId).set(schedule.id, record);
    this.context.wake();
    return record;
  }

  async replaceSchedule(jobId: string, scheduleId: string, raw: unknown): Promise<ScheduleRecord> {
    this.require(jobId);
    this.requireSchedule(jobId, scheduleId);
    const schedule = this.validatedSchedule(raw, scheduleId);
    const record = this.keepOrNewScheduleRecord(jobId, schedule);
    await this.context.persist([
      { type: 'put', key: jobKeys.schedule(jobId, scheduleId), value: record },
    ]);
    this.jobs.schedulesOf(jobId).set(scheduleId, record);
    this.context.wake();
    return record;
  }

  async removeSchedule(jobId: string, scheduleId: string): Promise<void> {
    this.require(jobId);
    this.requireSchedule(jobId, scheduleId);
    await this.context.persist([{ type: 'delete', key: jobKeys.schedule(jobId, scheduleId) }]);
    this.jobs.schedulesOf(jobId).delete(scheduleId);
  }

  requireSchedule(jobId: string, scheduleId: string): ScheduleRecord {
    const record = this.jobs.schedulesOf(jobId).get(scheduleId);
    if (!record) throw scheduleNotFound(scheduleId);
    return record;
  }

  /** A new schedule starts with the first due time after now: it never fires for the past. */
  private newScheduleRecord(jobId: string, schedule: ScheduleDefinition): ScheduleRecord {
    const parsed = parseSchedule({ cron: schedule.cron, timezone: schedule.timezone });
    const cursorMs =
      parsed.ok && schedule.enabled
        ? nextDueTime(parsed.schedule, this.context.clock.now())
        : undefined;
    return { jobId, schedule, cursorMs };
  }

  /** An unchanged schedule keeps its cursor (so an edit never repeats or skips a run). */
  private keepOrNewScheduleRecord(jobId: string, schedule: ScheduleDefinition): ScheduleRecord {
    const existing = this.jobs.schedulesOf(jobId).get(schedule.id);
    if (existing && JSON.stringify(existing.schedule) === JSON.stringify(schedule)) return existing;
    return this.newScheduleRecord(jobId, schedule);
  }

  private validated(
    raw: unknown,
    pathId?: string,
  ): { job: JobDefinition; schedules: ScheduleDefinition[] | undefined } {
    const result = validateJob(raw, pathId !== undefined ? { pathId } : {});
    if (!result.ok) throw invalidJob(result.errors);
    const { schedules, ...job } = result.value;
    return { job, schedules };
  }

  private validatedSchedule(raw: unknown, pathId?: string): ScheduleDefinition {
    const result = validateSchedule(raw, pathId !== undefined ? { pathId } : {});
    if (!result.ok)
      throw JobErrors.create('EXO_SCHEDULE_INVALID', 'Object is not valid', {
        details: result.errors,
      });
    return result.value;
  }

  private checkCycle(job: JobDefinition): void {
    // A job without dependencies closes no cycle (dependencies on missing jobs are refused,
    // so nothing can wait for a job before it exists): skip the graph walk.
    if (job.dependencies.length === 0) return;
    const graph = new Map<string, { dependencies: readonly string[] }>();
    for (const other of this.jobs.jobs.values())
      graph.set(other.id, { dependencies: other.dependencies.map((d) => d.id) });
    graph.set(job.id, { dependencies: job.dependencies.map((d) => d.id) });
    const missing = job.dependencies.filter((d) => !graph.has(d.id)).map((d) => d.id);
    if (missing.length > 0) {
      throw invalidJob(
        missing.map((id) => ({ path: '/dependencies', errors: [`job '${id}' does not exist`] })),
      );
    }
    const cycle = findDependencyCycle(graph);
    if (cycle) {
      throw JobErrors.create(
        'EXO_JOB_DEPENDENCY_CYCLE',
        `dependency cycle: ${cycle.join(' -> ')}`,
        {
          details: [{ path: '/dependencies', errors: [`cycle ${cycle.join(' -> ')}`] }],
        },
      );
    }
  }
}

function invalidJob(details: FieldError[]): Error {
  return JobErrors.create('EXO_JOB_INVALID', 'Object is not valid', { details });
}
