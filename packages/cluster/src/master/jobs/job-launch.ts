import { jobDefaults, type JobDefinition } from '../../core/jobs/job-definition.js';
import type { TaskLaunchSpec } from '../../core/protocol.js';
import { jobTaskOwner } from './job-model.js';

/** What an agent needs to run one attempt of a job run. Jobs take no ports and have no health checks. */
export function buildJobLaunchSpec(
  job: JobDefinition,
  options: { taskId: string; runId: string; createdAt: number },
): TaskLaunchSpec {
  return {
    taskId: options.taskId,
    appId: jobTaskOwner(job.id),
    ...(job.run.cmd ? { cmd: job.run.cmd } : {}),
    ...(job.run.args ? { args: job.run.args } : {}),
    env: {
      ...job.run.env,
      EXO_JOB_ID: job.id,
      EXO_JOB_RUN_ID: options.runId,
      METRONOME_JOB_ID: job.id,
      METRONOME_RUN_ID: options.runId,
    },
    resources: { cpus: job.run.cpus, mem: job.run.mem, disk: job.run.disk },
    ports: [],
    portNames: [],
    killGracePeriodMs:
      (job.run.taskKillGracePeriodSeconds ?? jobDefaults.killGracePeriodSeconds) * 1000,
    healthChecks: [],
    version: new Date(options.createdAt).toISOString(),
    labels: job.labels,
    ...(job.run.artifacts.length > 0 ? { fetch: job.run.artifacts } : {}),
    ...(job.run.user ? { user: job.run.user } : {}),
  };
}

/** Task ids of job runs: `<job id with . → _>_<run id>.<attempt>`, unique per attempt. */
export function jobTaskId(jobId: string, runId: string, attempt: number): string {
  return `${jobId.replace(/\./g, '_')}_${runId}.${attempt}`;
}
