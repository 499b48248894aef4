import type { TaskState } from '../../core/task-state.js';
import type { TaskRecord } from '../model.js';

/** Marathon's status_update_event fields for a task. */
export function statusUpdateEvent(task: TaskRecord): Record<string, unknown> {
  return {
    slaveId: task.agentId,
    agentId: task.agentId,
    taskId: task.id,
    taskStatus: task.state,
    message: task.message ?? '',
    appId: task.appId,
    host: task.host,
    ipAddresses: [{ ipAddress: task.host, protocol: 'IPv4' }],
    ports: task.ports,
    version: task.version,
  };
}

const conditions: Record<TaskState, string> = {
  TASK_STAGING: 'Staging',
  TASK_STARTING: 'Starting',
  TASK_RUNNING: 'Running',
  TASK_KILLING: 'Killing',
  TASK_FINISHED: 'Finished',
  TASK_FAILED: 'Failed',
  TASK_KILLED: 'Killed',
  TASK_ERROR: 'Error',
  TASK_LOST: 'Lost',
  TASK_UNREACHABLE: 'Unreachable',
  TASK_GONE: 'Gone',
};

/** Marathon's instance_changed_event fields. */
export function instanceChangedEvent(
  task: TaskRecord,
  previous: TaskState,
): Record<string, unknown> {
  return {
    instanceId: task.id,
    condition: conditions[task.state],
    previousCondition: conditions[previous],
    runSpecId: task.appId,
    agentId: task.agentId,
    host: task.host,
    runSpecVersion: task.version,
    goal: task.killRequestedAt === undefined ? 'Running' : 'Decommissioned',
  };
}
