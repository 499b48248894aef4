import type { TaskRecord } from '../model.js';

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** A task as Marathon renders it in /v2/tasks and /v2/apps/{id}/tasks. */
export function taskJson(task: TaskRecord): Record<string, unknown> {
  return {
    id: task.id,
    appId: task.appId,
    host: task.host,
    ports: task.ports,
    servicePorts: task.servicePorts,
    slaveId: task.agentId,
    agentId: task.agentId,
    stagedAt: iso(task.stagedAt),
    startedAt: iso(task.startedAt),
    state: task.state,
    version: task.version,
    ipAddresses: [{ ipAddress: task.host, protocol: 'IPv4' }],
    localVolumes: [],
    healthCheckResults: (task.healthCheckResults ?? []).map((r) => ({
      ...r,
      taskId: task.id,
      instanceId: task.id,
    })),
    ...(task.healthy !== undefined ? { healthy: task.healthy } : {}),
    ...(task.message ? { message: task.message } : {}),
    ...(task.killRequestedAt !== undefined
      ? { killRequestedAt: iso(task.killRequestedAt), killReason: task.killReason }
      : {}),
  };
}
