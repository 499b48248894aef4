import { ClientError } from './client-error.js';
import type { HttpTransport } from './http.js';
import { jobTaskLocator } from './job-logs.js';
import { TaskLogReader, type TaskLogOptions, type TaskLogRead } from './task-logs.js';
import type {
  Job,
  JobDefinition,
  JobEmbed,
  JobHistory,
  JobRun,
  JobRunStatus,
  Schedule,
  ScheduleDefinition,
} from './types/job.js';

export interface JobRemoveOptions {
  /** Stop the job's active runs too; without it a job with active runs is not removed (409). */
  readonly stopCurrentJobRuns?: boolean;
}

export interface WaitForRunOptions {
  /** Give up (EXO_CLIENT_TIMEOUT) after this long; default one hour. The run goes on. */
  readonly timeoutMs?: number;
  /** Default 250 ms. */
  readonly pollIntervalMs?: number;
  /** Called with the run after every poll; compare with the previous one to print only changes. */
  readonly onProgress?: (run: JobRun) => void;
  readonly signal?: AbortSignal;
}

export interface JobLogOptions extends TaskLogOptions {
  /** The run whose log to read; default the job's latest run, active or finished. */
  readonly runId?: string;
}

/** A log read of a run's latest task attempt, with the run and task it comes from. */
export interface JobLogRead extends TaskLogRead {
  readonly runId: string;
  readonly taskId: string;
}

/** Runs end in one of these; every other status means the run is still going. */
const finalStatuses: ReadonlySet<JobRunStatus> = new Set(['SUCCESS', 'FAILED']);

/**
 * A job's run waits this long between looks for its first task attempt when its log is
 * followed right after it was started.
 */
const taskPollIntervalMs = 250;

/** Metronome's /v1/jobs: jobs, their schedules and their runs. Job ids contain no slashes. */
export class JobsApi {
  private readonly logs: TaskLogReader;

  constructor(private readonly http: HttpTransport) {
    this.logs = new TaskLogReader(http, jobTaskLocator(http));
  }

  list(options: { readonly embed?: readonly JobEmbed[] } = {}): Promise<Job[]> {
    return this.http.json<Job[]>({ path: 'v1/jobs', query: { embed: options.embed } });
  }

  get(id: string, options: { readonly embed?: readonly JobEmbed[] } = {}): Promise<Job> {
    return this.http.json<Job>({ path: jobPath(id), query: { embed: options.embed } });
  }

  /** POST /v1/jobs: the created job with its schedules (those listed in `job.schedules`). */
  create(job: JobDefinition): Promise<Job> {
    return this.http.json<Job>({ method: 'POST', path: 'v1/jobs', body: job });
  }

  /**
   * PUT /v1/jobs/{id}: replaces the definition of an existing job (EXO_JOB_NOT_FOUND
   * otherwise); the URL's id wins over the body's. Schedules are not changed here: those in
   * the body are ignored (use the schedule methods). Active runs keep the definition they
   * started with.
   */
  replace(id: string, job: Omit<JobDefinition, 'id'> & { readonly id?: string }): Promise<Job> {
    return this.http.json<Job>({ method: 'PUT', path: jobPath(id), body: job });
  }

  /** DELETE /v1/jobs/{id}: the removed job. Its schedules and history go with it. */
  remove(id: string, options: JobRemoveOptions = {}): Promise<Job> {
    return this.http.json<Job>({
      method: 'DELETE',
      path: jobPath(id),
      query: { stopCurrentJobRuns: options.stopCurrentJobRuns },
    });
  }

  /** The job's history: counts and its latest successful, failed and missed runs. */
  async history(id: string): Promise<JobHistory> {
    const job = await this.get(id, { embed: ['history'] });
    if (!job.history) throw badResponse(`GET ${jobPath(id)}?embed=history has no history`);
    return job.history;
  }

  schedules(id: string): Promise<Schedule[]> {
    return this.http.json<Schedule[]>({ path: `${jobPath(id)}/schedules` });
  }

  /**
   * A new schedule never fires for times already past: its first run is the next due time. A
   * job has at most one schedule (EXO_SCHEDULE_LIMIT when it has one already).
   */
  addSchedule(id: string, schedule: ScheduleDefinition): Promise<Schedule> {
    return this.http.json<Schedule>({
      method: 'POST',
      path: `${jobPath(id)}/schedules`,
      body: schedule,
    });
  }

  getSchedule(id: string, scheduleId: string): Promise<Schedule> {
    return this.http.json<Schedule>({ path: schedulePath(id, scheduleId) });
  }

  /** An unchanged schedule keeps its next due time, so an edit never repeats or skips a run. */
  replaceSchedule(
    id: string,
    scheduleId: string,
    schedule: Omit<ScheduleDefinition, 'id'> & { readonly id?: string },
  ): Promise<Schedule> {
    return this.http.json<Schedule>({
      method: 'PUT',
      path: schedulePath(id, scheduleId),
      body: schedule,
    });
  }

  async removeSchedule(id: string, scheduleId: string): Promise<void> {
    await this.http.json<unknown>({ method: 'DELETE', path: schedulePath(id, scheduleId) });
  }

  /** The job's active runs (finished ones are in its history). */
  runs(id: string): Promise<JobRun[]> {
    return this.http.json<JobRun[]>({ path: `${jobPath(id)}/runs` });
  }

  /** Starts a run now; it comes back INITIAL and is placed by the master's next round. */
  startRun(id: string): Promise<JobRun> {
    return this.http.json<JobRun>({ method: 'POST', path: `${jobPath(id)}/runs` });
  }

  /** A run, active or finished (a finished run carries only its last task attempt). */
  getRun(id: string, runId: string): Promise<JobRun> {
    return this.http.json<JobRun>({ path: runPath(id, runId) });
  }

  /** Stops an active run: its task is killed and the run ends FAILED. */
  stopRun(id: string, runId: string): Promise<JobRun> {
    return this.http.json<JobRun>({ method: 'POST', path: `${runPath(id, runId)}/actions/stop` });
  }

  /**
   * The job's newest run, active or finished, or undefined when it never ran (or its history
   * was trimmed). Runs are compared by creation time, then by id.
   */
  async latestRun(id: string): Promise<JobRun | undefined> {
    const job = await this.get(id, { embed: ['activeRuns', 'history'] });
    const finished = [
      ...(job.history?.successfulFinishedRuns ?? []),
      ...(job.history?.failedFinishedRuns ?? []),
    ];
    const candidates = [
      ...(job.activeRuns ?? []).map((run) => ({ id: run.id, createdAt: run.createdAt, run })),
      ...finished.map((run) => ({ id: run.id, createdAt: run.createdAt, run: undefined })),
    ];
    candidates.sort((a, b) => {
      const byTime = Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '');
      return byTime !== 0 && !Number.isNaN(byTime) ? byTime : b.id < a.id ? -1 : 1;
    });
    const newest = candidates[0];
    if (!newest) return undefined;
    return newest.run ?? this.getRun(id, newest.id);
  }

  /**
   * Polls the run until it is SUCCESS or FAILED and returns it. Polling rather than the event
   * stream keeps this working through proxies that buffer server-sent events.
   */
  async waitForRun(id: string, runId: string, options: WaitForRunOptions = {}): Promise<JobRun> {
    const startedAt = Date.now();
    const timeoutMs = options.timeoutMs ?? 3_600_000;
    const pollIntervalMs = options.pollIntervalMs ?? 250;
    for (;;) {
      const run = await this.http.json<JobRun>({
        path: runPath(id, runId),
        signal: options.signal,
      });
      options.onProgress?.(run);
      if (finalStatuses.has(run.status)) return run;
      const elapsedMs = Date.now() - startedAt;
      if (elapsedMs >= timeoutMs) {
        throw new ClientError(
          'EXO_CLIENT_TIMEOUT',
          0,
          `run ${runId} of job ${id} did not finish within ${timeoutMs / 1000} s (it is ${run.status}); it continues on the master`,
          { data: { jobId: id, runId, status: run.status } },
        );
      }
      await delay(Math.min(pollIntervalMs, timeoutMs - elapsedMs), options.signal);
    }
  }

  /**
   * The log of a run's latest task attempt (stdout unless `stream` says otherwise). With
   * `follow`, a run that has no attempt yet is waited for, and the log is read until the
   * attempt ends; a later retry of an ON_FAILURE run is not followed.
   */
  async *runLogs(id: string, options: JobLogOptions = {}): AsyncGenerator<string> {
    const { taskId } = await this.runTaskId(id, options);
    yield* this.logs.chunks(taskId, options);
  }

  /** One read of a run's latest task attempt (see runLogs), to continue from `endOffset`. */
  async readRunLog(id: string, options: Omit<JobLogOptions, 'follow'> = {}): Promise<JobLogRead> {
    const { runId, taskId } = await this.runTaskId(id, options);
    return { runId, taskId, ...(await this.logs.read(taskId, options)) };
  }

  /** A job task's log by task id (job tasks are not in /v2/tasks, so client.taskLogs is slower). */
  taskLogs(taskId: string, options: TaskLogOptions = {}): AsyncIterable<string> {
    return this.logs.chunks(taskId, options);
  }

  readTaskLog(taskId: string, options: Omit<TaskLogOptions, 'follow'> = {}): Promise<TaskLogRead> {
    return this.logs.read(taskId, options);
  }

  /**
   * The run asked for (or the job's latest) and the id of its latest task attempt, whose log
   * `taskLogs` reads. With `follow`, waits for a run that has no attempt yet to start one.
   */
  async runTaskId(
    id: string,
    options: Pick<JobLogOptions, 'runId' | 'follow' | 'signal'> = {},
  ): Promise<{ runId: string; taskId: string }> {
    let run = options.runId === undefined ? await this.latestRun(id) : undefined;
    if (options.runId === undefined && !run) {
      throw new ClientError('EXO_RUN_NOT_FOUND', 404, `Job '${id}' has not run yet`);
    }
    const runId = options.runId ?? run!.id;
    for (;;) {
      run ??= await this.getRun(id, runId);
      const task = run.tasks.at(-1);
      if (task) return { runId, taskId: task.id };
      if (!options.follow || finalStatuses.has(run.status)) {
        const why = finalStatuses.has(run.status)
          ? `ended ${run.status}${run.message ? ` (${run.message})` : ''} without starting a task`
          : `has not started a task yet (it is ${run.status})`;
        throw new ClientError('EXO_RUN_NOT_FOUND', 404, `Run ${runId} of job '${id}' ${why}`);
      }
      await delay(taskPollIntervalMs, options.signal);
      run = undefined;
    }
  }
}

function jobPath(id: string): string {
  return `v1/jobs/${encodeURIComponent(id)}`;
}

function schedulePath(id: string, scheduleId: string): string {
  return `${jobPath(id)}/schedules/${encodeURIComponent(scheduleId)}`;
}

function runPath(id: string, runId: string): string {
  return `${jobPath(id)}/runs/${encodeURIComponent(runId)}`;
}

function badResponse(message: string): ClientError {
  return new ClientError('EXO_CLIENT_BAD_RESPONSE', 200, message);
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
