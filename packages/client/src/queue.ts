import type { HttpTransport } from './http.js';
import { idPath } from './query.js';
import type { QueueEntry } from './types/queue.js';

/** Marathon's /v2/queue: apps waiting for launches, and why they wait. */
export class QueueApi {
  constructor(private readonly http: HttpTransport) {}

  async list(): Promise<QueueEntry[]> {
    const body = await this.http.json<{ queue: QueueEntry[] }>({ path: 'v2/queue' });
    return body.queue;
  }

  /** Launch again now instead of after the app's failure backoff. */
  async resetDelay(appId: string): Promise<void> {
    await this.http.json<undefined>({ method: 'DELETE', path: `v2/queue/${idPath(appId)}/delay` });
  }
}
