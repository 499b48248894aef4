/** Marathon event types served on GET /v2/events. */
export type ClusterEventType =
  | 'status_update_event'
  | 'instance_changed_event'
  | 'deployment_info'
  | 'deployment_success'
  | 'deployment_failed'
  | 'deployment_step_success'
  | 'deployment_step_failure'
  | 'health_status_changed_event'
  | 'failed_health_check_event'
  | 'unhealthy_instance_kill_event'
  | 'api_post_event'
  | 'app_terminated_event'
  | 'group_change_success'
  | 'agent_registered_event'
  | 'agent_unreachable_event';

/** One event: its type and timestamp, and the fields Marathon defines for that type. */
export interface ClusterEvent {
  readonly eventType: ClusterEventType | (string & {});
  readonly timestamp: string;
  readonly [field: string]: unknown;
}
