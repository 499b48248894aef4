import { ClientError } from './client-error.js';
import type { HttpTransport } from './http.js';
import { parseEventStream } from './sse.js';
import type { ClusterEvent, ClusterEventType } from './types/event.js';

export interface EventsOptions {
  /** Only these event types (Marathon's repeated `event_type` parameter); all when absent. */
  readonly eventTypes?: readonly (ClusterEventType | (string & {}))[];
  /** Aborting ends the iteration and closes the connection. */
  readonly signal?: AbortSignal;
}

/** GET /v2/events as parsed events, in the order the master published them. */
export async function* streamEvents(
  http: HttpTransport,
  options: EventsOptions = {},
): AsyncGenerator<ClusterEvent> {
  let response: Response;
  try {
    response = await http.stream({
      path: 'v2/events',
      query: { event_type: options.eventTypes },
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) return;
    throw error;
  }
  if (!response.body)
    throw new ClientError(
      'EXO_CLIENT_BAD_RESPONSE',
      response.status,
      '/v2/events answered without a body',
    );
  for await (const message of parseEventStream(response.body, options.signal)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.data);
    } catch (error) {
      throw new ClientError(
        'EXO_CLIENT_BAD_RESPONSE',
        response.status,
        `event '${message.event}' has data that is not JSON`,
        { cause: error },
      );
    }
    const fields =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : { data: parsed };
    yield { eventType: message.event, timestamp: '', ...fields };
  }
}
