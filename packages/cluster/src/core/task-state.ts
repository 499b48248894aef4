/** Mesos/Marathon task states, with the same names so existing tooling reads them. */
export const taskStates = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_UNREACHABLE',
  'TASK_GONE',
] as const;
export type TaskState = (typeof taskStates)[number];

const terminal = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_GONE',
]);

/** A terminal task never runs again; its resources are free. */
export function isTerminal(state: TaskState): boolean {
  return terminal.has(state);
}

/** Counts toward an app's instances: launched and not known to be dead. UNREACHABLE does not count. */
export function isActive(state: TaskState): boolean {
  return state === 'TASK_STAGING' || state === 'TASK_STARTING' || state === 'TASK_RUNNING';
}
