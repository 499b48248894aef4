export { ExosphereClient } from './client.js';
export type { ClientOptions } from './http.js';
export {
  ClientError,
  clientErrorCodes,
  isClientError,
  type ClientErrorCode,
} from './client-error.js';
export type { AppsApi, AppListOptions, AppTaskKillOptions } from './apps.js';
export {
  isDeploymentResult,
  type TasksApi,
  type TaskKillOptions,
  type TaskKillResult,
} from './tasks.js';
export type { DeploymentsApi } from './deployments.js';
export type { QueueApi } from './queue.js';
export type { GroupsApi } from './groups.js';
export type { AgentsApi } from './agents.js';
export type {
  JobsApi,
  JobLogOptions,
  JobLogRead,
  JobRemoveOptions,
  WaitForRunOptions,
} from './jobs.js';
export type { EventsOptions } from './events.js';
export { parseEventStream, type ServerSentEvent } from './sse.js';
export type { LogStream, TaskLogOptions, TaskLogRead } from './task-logs.js';
export type {
  AppProgress,
  DeploymentOutcome,
  DeploymentProgress,
  WaitForDeploymentOptions,
} from './wait-for-deployment.js';
export type * from './types/app.js';
export type * from './types/task.js';
export type * from './types/deployment.js';
export type * from './types/queue.js';
export type * from './types/agent.js';
export type * from './types/group.js';
export type * from './types/info.js';
export type * from './types/event.js';
export type * from './types/common.js';
export type * from './types/job.js';
export {
  GatewayAdminClient,
  type GatewayAdminOptions,
  type ManagedApi,
  type ManagedApiSummary,
  type ManagedApplication,
  type ApiInput,
  type ImportOptions,
  type ApiOperation,
  type ApiRecord,
  type ApiState,
  type LifecycleAction,
  type SubscriptionRecord,
  type SubscriptionState,
} from './gateway-admin.js';
