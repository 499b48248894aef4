/**
 * The master's event stream, with Marathon's event types and shapes, served as server-sent
 * events on /v2/events. Subscribers are bounded: a consumer that falls behind by more than
 * `backlogMax` events is disconnected rather than letting memory grow.
 */
export type MarathonEventType =
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
  | 'event_stream_attached'
  | 'app_terminated_event'
  | 'group_change_success'
  | 'agent_registered_event'
  | 'agent_unreachable_event'
  | 'subscribe_event'
  | 'unsubscribe_event';

export interface MarathonEvent {
  readonly eventType: MarathonEventType;
  readonly timestamp: string;
  readonly [field: string]: unknown;
}

export type EventListener = (event: MarathonEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Sends an event to every subscriber and returns it. */
  publish(eventType: MarathonEventType, fields: Record<string, unknown>): MarathonEvent {
    const event: MarathonEvent = {
      eventType,
      timestamp: new Date(this.now()).toISOString(),
      ...fields,
    };
    this.counts.set(eventType, (this.counts.get(eventType) ?? 0) + 1);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the master or other subscribers.
      }
    }
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
