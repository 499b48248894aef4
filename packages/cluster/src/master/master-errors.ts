import { defineErrors } from '@exosphere/common';

/** The master's error codes (documented in docs/errors.md). */
export const MasterErrors = defineErrors({
  EXO_APP_NOT_FOUND: { status: 404, description: 'No app with this id.' },
  EXO_APP_EXISTS: {
    status: 409,
    description: 'An app with this id already exists (POST creates; use PUT to update).',
  },
  EXO_APP_LOCKED: {
    status: 409,
    description: 'A deployment in progress locks the app; retry later or pass force=true.',
  },
  EXO_APP_INVALID: {
    status: 422,
    description: 'The app definition is invalid; `details` gives each field path.',
  },
  EXO_LABEL_SELECTOR_INVALID: {
    status: 422,
    description: 'The `label` query parameter is not a valid Marathon label selector.',
  },
  EXO_GROUP_NOT_FOUND: { status: 404, description: 'No group with this id.' },
  EXO_GROUP_INVALID: {
    status: 422,
    description: 'The group definition is invalid; `details` gives each field path.',
  },
  EXO_DEPENDENCY_CYCLE: {
    status: 422,
    description: 'The change would create a dependency cycle; the message gives the cycle.',
  },
  EXO_VERSION_NOT_FOUND: { status: 404, description: 'The app has no such version.' },
  EXO_DEPLOYMENT_NOT_FOUND: { status: 404, description: 'No deployment with this id.' },
  EXO_TASK_NOT_FOUND: { status: 404, description: 'No task with this id.' },
  EXO_SERVICE_PORTS_EXHAUSTED: {
    status: 422,
    description: 'No free service port is left in the service-port range.',
  },
  EXO_AGENT_NOT_FOUND: { status: 404, description: 'No agent with this id.' },
  EXO_POD_NOT_FOUND: { status: 404, description: 'No pod with this id (pods are not supported).' },
  EXO_POD_UNSUPPORTED: {
    status: 422,
    description: 'Pods need containers, which are not supported; run each process as an app.',
  },
  EXO_NOT_LEADER: { status: 503, description: 'This master is not the leader.' },
});

/** The jobs API's error codes (documented in docs/errors.md). */
export const JobErrors = defineErrors({
  EXO_JOB_NOT_FOUND: { status: 404, description: 'No job with this id.' },
  EXO_JOB_EXISTS: {
    status: 409,
    description: 'A job with this id already exists (POST creates; use PUT to replace).',
  },
  EXO_JOB_INVALID: {
    status: 422,
    description: 'The job definition is invalid; `details` gives each field path.',
  },
  EXO_JOB_HAS_ACTIVE_RUNS: {
    status: 409,
    description: 'The job has active runs; stop them or pass stopCurrentJobRuns=true.',
  },
  EXO_JOB_DEPENDENCY_CYCLE: {
    status: 422,
    description: 'The dependencies would form a cycle; the message gives its path.',
  },
  EXO_JOB_HAS_DEPENDENTS: {
    status: 409,
    description: 'Other jobs depend on this job; change them first.',
  },
  EXO_SCHEDULE_NOT_FOUND: { status: 404, description: 'The job has no schedule with this id.' },
  EXO_SCHEDULE_EXISTS: { status: 409, description: 'The job already has a schedule with this id.' },
  EXO_SCHEDULE_LIMIT: {
    status: 409,
    description: 'The job already has a schedule; a job has at most one, as in Metronome.',
  },
  EXO_SCHEDULE_INVALID: {
    status: 422,
    description: 'The schedule is invalid; `details` gives each field path.',
  },
  EXO_RUN_NOT_FOUND: { status: 404, description: 'The job has no run with this id.' },
});
