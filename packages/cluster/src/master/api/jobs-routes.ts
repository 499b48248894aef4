import { CommonErrors, type Handler, type Router } from '@exosphere/common';
import type { Master } from '../master.js';
import { finishedRunJson, jobView, runJson, scheduleJson } from '../jobs/job-json.js';
import { runNotFound } from '../jobs/job-not-found.js';
import { createRun, stopRun } from '../jobs/run-lifecycle.js';
import { embeds, flag } from './query.js';

const jobEmbedNames = ['activeRuns', 'schedules', 'history', 'historySummary'];

/** The `embed` values of a job GET; an unknown one is a 400, as Metronome's embed binder answers. */
function jobEmbeds(query: URLSearchParams): Set<string> {
  const embed = embeds(query);
  const unknown = [...embed].filter((name) => !jobEmbedNames.includes(name));
  if (unknown.length > 0)
    throw CommonErrors.create(
      'EXO_BAD_REQUEST',
      `Unknown embed options: ${unknown.join(', ')}. Valid options are: ${jobEmbedNames.join(', ')}`,
    );
  return embed;
}

/** One dot-separated part of a Metronome job id. */
const jobIdSegment = /^([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;

/**
 * A route whose path names a job: an id that cannot be one is a 400 before anything runs, as
 * Metronome's path binder answers it (empty parts between dots are dropped there, as here).
 */
function namingJob(handler: Handler): Handler {
  return (context) => {
    const id = context.params.id;
    const parts = id?.split('.').filter((part) => part.length > 0) ?? [];
    if (id !== undefined && (parts.length === 0 || !parts.every((part) => jobIdSegment.test(part))))
      throw CommonErrors.create('EXO_BAD_REQUEST', `Not a valid id: ${id}`, {
        data: { requestPath: context.path },
      });
    return handler(context);
  };
}

/** Metronome's v1 jobs API: jobs, schedules and runs. */
export function addJobRoutes(plain: Router, master: Master): void {
  const state = () => master.state.jobs;
  const router = {
    get: (pattern: string, handler: Handler) => plain.get(pattern, namingJob(handler)),
    post: (pattern: string, handler: Handler) => plain.post(pattern, namingJob(handler)),
    put: (pattern: string, handler: Handler) => plain.put(pattern, namingJob(handler)),
    delete: (pattern: string, handler: Handler) => plain.delete(pattern, namingJob(handler)),
  };

  router.get('/v1/jobs', ({ query }) => {
    const embed = jobEmbeds(query);
    return {
      body: [...state().jobs.values()]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((job) => jobView(state(), job, embed)),
    };
  });
  const create = async (context: { json(): Promise<unknown> }) => {
    const job = await master.jobs.create(await context.json());
    return {
      status: 201,
      body: jobView(state(), job, new Set(['schedules'])),
      headers: { location: `/v1/jobs/${job.id}` },
    };
  };
  router.post('/v1/jobs', create);
  router.get('/v1/jobs/:id', ({ params, query }) => {
    const embed = jobEmbeds(query);
    return { body: jobView(state(), master.jobs.require(params.id!), embed) };
  });
  const replace =
    (schedules: 'keep' | 'replace') =>
    async (context: { params: Readonly<Record<string, string>>; json(): Promise<unknown> }) => {
      const job = await master.jobs.replace(context.params.id!, await context.json(), {
        schedules,
      });
      return { body: jobView(state(), job, new Set(['schedules'])) };
    };
  router.put('/v1/jobs/:id', replace('keep'));
  // Metronome's deprecated v0 API: a job with its schedules embedded, as /v1/jobs takes it.
  router.post('/v0/scheduled-jobs', create);
  router.put('/v0/scheduled-jobs/:id', replace('replace'));
  router.delete('/v1/jobs/:id', async ({ params, query }) => {
    const job = master.jobs.require(params.id!);
    const view = jobView(state(), job, new Set());
    await master.jobs.remove(params.id!, { stopCurrentJobRuns: flag(query, 'stopCurrentJobRuns') });
    return { body: view };
  });

  router.get('/v1/jobs/:id/schedules', ({ params }) => {
    master.jobs.require(params.id!);
    return { body: [...state().schedulesOf(params.id!).values()].map(scheduleJson) };
  });
  router.post('/v1/jobs/:id/schedules', async (context) => {
    const record = await master.jobs.addSchedule(context.params.id!, await context.json());
    return { status: 201, body: scheduleJson(record) };
  });
  router.get('/v1/jobs/:id/schedules/:scheduleId', ({ params }) => {
    master.jobs.require(params.id!);
    return { body: scheduleJson(master.jobs.requireSchedule(params.id!, params.scheduleId!)) };
  });
  router.put('/v1/jobs/:id/schedules/:scheduleId', async (context) => {
    const record = await master.jobs.replaceSchedule(
      context.params.id!,
      context.params.scheduleId!,
      await context.json(),
    );
    return { body: scheduleJson(record) };
  });
  router.delete('/v1/jobs/:id/schedules/:scheduleId', async ({ params }) => {
    await master.jobs.removeSchedule(params.id!, params.scheduleId!);
    return { body: {} };
  });

  router.get('/v1/jobs/:id/runs', ({ params }) => {
    master.jobs.require(params.id!);
    return { body: state().activeRunsOf(params.id!).map(runJson) };
  });
  router.post('/v1/jobs/:id/runs', async ({ params }) => {
    const job = master.jobs.require(params.id!);
    const { run, operations } = createRun(master.context, job, { kind: 'manual' });
    // The run as created (INITIAL); a round may launch it while the commit is in flight.
    const body = runJson(run);
    await master.context.persist(operations);
    return { status: 201, body };
  });
  router.get('/v1/jobs/:id/runs/:runId', ({ params }) => {
    master.jobs.require(params.id!);
    const run = state().runs.get(params.runId!);
    if (run && run.jobId === params.id) return { body: runJson(run) };
    const history = state().historyOf(params.id!);
    const finished = [...history.successfulFinishedRuns, ...history.failedFinishedRuns].find(
      (r) => r.id === params.runId,
    );
    if (!finished) throw runNotFound(params.id!, params.runId!);
    return { body: finishedRunJson(params.id!, finished) };
  });
  router.post('/v1/jobs/:id/runs/:runId/actions/stop', async ({ params }) => {
    master.jobs.require(params.id!);
    const run = state().runs.get(params.runId!);
    if (!run || run.jobId !== params.id) throw runNotFound(params.id!, params.runId!);
    const view = runJson(run);
    await master.context.persist(stopRun(master.context, run, 'stopped by request'));
    master.wake();
    return { body: { ...view, status: 'FAILED', message: 'stopped by request' } };
  });
}
