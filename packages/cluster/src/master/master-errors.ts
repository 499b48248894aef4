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
  EXO_NOT_LEADER: { status: 503, description: 'This master is not the leader.' },
});
