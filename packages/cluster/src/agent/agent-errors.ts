import { defineErrors } from '@exosphere/common';

/** The agent's error codes; each one is documented in docs/errors.md under "cluster/agent". */
export const AgentErrors = defineErrors({
  EXO_AGENT_INVALID_REQUEST: {
    status: 422,
    description:
      'A launch or kill request to the agent is invalid; `details` lists each field path.',
  },
  EXO_AGENT_TASK_NOT_FOUND: {
    status: 404,
    description: 'The agent knows no task (and no sandbox) with this id.',
  },
  EXO_AGENT_INVALID_QUERY: {
    status: 400,
    description: 'A query parameter of an agent route is invalid (for example a log stream name).',
  },
  EXO_AGENT_MASTER_REQUEST_FAILED: {
    status: 502,
    description: 'The master did not answer a register or heartbeat request with success.',
  },
  EXO_AGENT_AGENT_REQUEST_FAILED: {
    status: 502,
    description: 'An agent did not answer a launch or kill request from the master with success.',
  },
});
